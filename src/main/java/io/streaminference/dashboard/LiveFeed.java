package io.streaminference.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's live feed: once a second, one reading of the meters becomes one {@link LiveSnapshot}, encoded once
 * and sent to every open page over Server-Sent Events. The pipeline's cost does not grow with the pages: they share
 * the snapshot. A page that connects first gets the last {@value #HISTORY_S} seconds, so its charts start full.
 */
final class LiveFeed implements SmartLifecycle {

    static final int HISTORY_S = 300;
    /** A page's stream ends after this; the page reconnects (and so do pages whose app restarted). */
    static final long EMITTER_TIMEOUT_MS = 10 * 60 * 1000L;
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final MeterReader meters;
    private final ConsumerProgress progress;
    private final ObjectMapper json;
    private final Clock clock;
    private final Deque<Reading> readings = new ArrayDeque<>();
    private final Deque<String> history = new ArrayDeque<>();
    private final List<SseEmitter> pages = new CopyOnWriteArrayList<>();
    private volatile LiveSnapshot latest;
    private ScheduledExecutorService ticker;

    LiveFeed(MeterReader meters, ConsumerProgress progress, ObjectMapper json, Clock clock) {
        this.meters = meters;
        this.progress = progress;
        this.json = json;
        this.clock = clock;
    }

    /** A new page: the recent history now, then a snapshot every second. */
    SseEmitter open() {
        SseEmitter page = new SseEmitter(EMITTER_TIMEOUT_MS);
        page.onCompletion(() -> pages.remove(page));
        page.onTimeout(page::complete);
        page.onError(error -> pages.remove(page));
        List<String> recent;
        synchronized (history) {
            recent = new ArrayList<>(history);
        }
        try {
            page.send(SseEmitter.event().name("history").data("[" + String.join(",", recent) + "]",
                    MediaType.APPLICATION_JSON).reconnectTime(1_000));
            pages.add(page);
        } catch (IOException e) {
            page.completeWithError(e);
        }
        return page;
    }

    LiveSnapshot latest() {
        return latest;
    }

    int pages() {
        return pages.size();
    }

    void tick() {
        try {
            LiveSnapshot snapshot = next();
            String encoded = json.writeValueAsString(snapshot);
            synchronized (history) {
                history.addLast(encoded);
                while (history.size() > HISTORY_S) {
                    history.removeFirst();
                }
            }
            latest = snapshot;
            for (SseEmitter page : pages) {
                try {
                    // Small, once a second: socket buffers hold minutes of it, so a slow page does not hold the
                    // ticker; a gone page fails here and is dropped.
                    page.send(SseEmitter.event().name("snapshot").data(encoded, MediaType.APPLICATION_JSON));
                } catch (IOException | IllegalStateException e) {
                    pages.remove(page);
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("Live feed snapshot failed: {}", e.toString());
        }
    }

    private LiveSnapshot next() {
        Reading now = meters.read(clock.millis());
        readings.addLast(now);
        while (readings.size() > Snapshots.MODEL_WINDOW_S + 1) {
            readings.removeFirst();
        }
        return Snapshots.of(now, back(1), back(Snapshots.LATENCY_WINDOW_S), back(Snapshots.MODEL_WINDOW_S),
                progress.lags(), progress.states());
    }

    /** The reading {@code seconds} ticks ago, or the oldest there is. */
    private Reading back(int seconds) {
        int index = Math.max(0, readings.size() - 1 - seconds);
        int i = 0;
        for (Reading reading : readings) {
            if (i++ == index) {
                return reading;
            }
        }
        return readings.peekLast();
    }

    @Override
    public void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "live-feed");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        ticker.shutdownNow();
        pages.forEach(SseEmitter::complete);
        pages.clear();
    }

    @Override
    public boolean isRunning() {
        return ticker != null && !ticker.isShutdown();
    }
}
