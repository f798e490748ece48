package io.streaminference.delivery;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * A bounded piece of work that has to be done once the app is wired and before the listener containers start
 * (which they do in {@link AbstractMessageListenerContainer#DEFAULT_PHASE}): a lifecycle that runs {@link #run()} on
 * start and has nothing to stop.
 */
public abstract class BeforeListenersStart implements SmartLifecycle {

    private volatile boolean running;

    /** Must end within its own bound; it should log, not throw, what it could not do. */
    protected abstract void run();

    @Override
    public final void start() {
        running = true;
        run();
    }

    @Override
    public final void stop() {
        running = false;
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 1;
    }
}
