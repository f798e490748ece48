package io.streaminference.breaker;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/** The one daemon thread that runs every stage's breaker probes. */
@Component
public class BreakerScheduler implements DisposableBean {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "breaker-probe");
        thread.setDaemon(true);
        return thread;
    });

    public ScheduledExecutorService executor() {
        return executor;
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
