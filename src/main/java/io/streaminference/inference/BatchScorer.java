package io.streaminference.inference;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tensorflow.serving.Predict.PredictResponse;

/**
 * Scores one polled batch of rows with as few Predict calls as possible and says which rows, if any, the model
 * refuses.
 *
 * <ol>
 * <li>The rows go out in chunks of at most {@code maxBatchSize}, up to {@code maxInFlight} calls outstanding; answers
 * are mapped back by row index.</li>
 * <li>A chunk answered with INVALID_ARGUMENT is either the rows' fault or the request's (an input name, dtype or shape
 * the model does not have, an unknown version label). To tell them apart the scorer sends a <em>reference row</em>
 * alone — the last row the model accepted, or all zeros before the first: if the model refuses that too, the request
 * or the model is at fault and the batch fails with {@link ModelRequestException} (retried, never dead-lettered).</li>
 * <li>Otherwise the refused chunk is split in halves until each refused row stands alone ({@link RowResult.Invalid});
 * its neighbours are still scored. Every split counts in {@code pipeline.inference.bisections}.</li>
 * </ol>
 * Any other failure is transient: {@link ModelUnavailableException}, or {@link ModelOutputException} for an answer
 * that does not fit the configured output. At most {@link #worstCaseCalls} calls per batch (the poll budget's count).
 */
final class BatchScorer {

    private static final Logger log = LoggerFactory.getLogger(BatchScorer.class);
    /** Slack past the gRPC deadline before we stop waiting ourselves; the deadline normally fires first. */
    private static final long WAIT_SLACK_MS = 1_000;

    private final Predictor predictor;
    private final PredictRequestFactory requests;
    private final PredictResponseMapper responses;
    private final int maxBatchSize;
    private final int maxInFlight;
    private final long waitMillis;
    private final Counter bisections;
    private volatile float[] reference;
    private volatile boolean warnedAboutChunkSize;

    /** @param width values per row, for the all-zeros reference row before the first accepted one */
    BatchScorer(Predictor predictor, PredictRequestFactory requests, PredictResponseMapper responses, int width,
            int maxBatchSize, int maxInFlight, long deadlineMillis, Counter bisections) {
        this.reference = new float[width];
        this.predictor = predictor;
        this.requests = requests;
        this.responses = responses;
        this.maxBatchSize = maxBatchSize;
        this.maxInFlight = maxInFlight;
        this.waitMillis = deadlineMillis + WAIT_SLACK_MS;
        this.bisections = bisections;
    }

    /**
     * The most Predict calls one batch of {@code rows} can cost: one per chunk, the reference row, and for a refused
     * chunk of c rows the 2c - 2 calls that split it down to single rows (every row refused).
     */
    static long worstCaseCalls(int rows, int maxBatchSize) {
        long chunks = (rows + maxBatchSize - 1L) / maxBatchSize;
        return chunks + 1 + 2 * (rows - chunks);
    }

    /** @return one result per row, index-aligned with {@code rows} */
    RowResult[] score(List<float[]> rows) {
        RowResult[] results = new RowResult[rows.size()];
        List<Refusal> refused = scoreInChunks(rows, results);
        if (!refused.isEmpty()) {
            requireReferenceAccepted();
            for (Refusal chunk : refused) {
                isolateRefusedRows(rows, chunk, results);
            }
        }
        rememberAcceptedRow(rows, results);
        return results;
    }

    /**
     * Whether the model scores the reference row with the configured request: what the breaker asks while the stage is
     * paused, because it is exactly what failed (server reachable, model loaded, label known, request accepted, answer
     * of the configured shape).
     */
    boolean acceptsReferenceRow() {
        try {
            return call(List.of(reference)).output() != null;
        } catch (ModelUnavailableException | ModelOutputException e) {
            return false;
        }
    }

    private List<Refusal> scoreInChunks(List<float[]> rows, RowResult[] results) {
        List<Refusal> refused = new ArrayList<>();
        Deque<Pending> inFlight = new ArrayDeque<>(maxInFlight);
        for (int from = 0; from < rows.size(); from += maxBatchSize) {
            if (inFlight.size() == maxInFlight) {
                settle(inFlight.removeFirst(), results, refused);
            }
            Range chunk = new Range(from, Math.min(from + maxBatchSize, rows.size()));
            inFlight.addLast(new Pending(chunk, predictor.predict(requests.build(chunk.of(rows)))));
        }
        while (!inFlight.isEmpty()) {
            settle(inFlight.removeFirst(), results, refused);
        }
        return refused;
    }

    private void settle(Pending pending, RowResult[] results, List<Refusal> refused) {
        Answer answer = await(pending.range().size(), pending.response());
        if (answer.output() == null) {
            refused.add(new Refusal(pending.range(), answer.refusal()));
        } else {
            fill(results, pending.range(), answer.output());
        }
    }

    private void requireReferenceAccepted() {
        Answer answer = call(List.of(reference));
        if (answer.output() == null) {
            throw new ModelRequestException(answer.refusal());
        }
    }

    /** Splits a refused chunk until each refused row stands alone; a single refused row is that row's fault. */
    private void isolateRefusedRows(List<float[]> rows, Refusal refusedChunk, RowResult[] results) {
        Deque<Refusal> refusals = new ArrayDeque<>();
        refusals.push(refusedChunk);
        boolean anyRowRefused = false;
        while (!refusals.isEmpty()) {
            Refusal refusal = refusals.pop();
            if (refusal.range().size() == 1) {
                results[refusal.range().from()] = new RowResult.Invalid(String.valueOf(refusal.status().getDescription()));
                anyRowRefused = true;
                continue;
            }
            bisections.increment();
            for (Range half : refusal.range().halves()) {
                Answer answer = call(half.of(rows));
                if (answer.output() == null) {
                    refusals.push(new Refusal(half, answer.refusal()));
                } else {
                    fill(results, half, answer.output());
                }
            }
        }
        if (!anyRowRefused && !warnedAboutChunkSize) {
            warnedAboutChunkSize = true;
            log.warn("The model refused a chunk of {} rows but scored every row of it in smaller chunks: it probably "
                    + "limits the batch size; lower pipeline.inference.max-batch-size below {}",
                    refusedChunk.range().size(), refusedChunk.range().size());
        }
    }

    private Answer call(List<float[]> rows) {
        return await(rows.size(), predictor.predict(requests.build(rows)));
    }

    private Answer await(int rows, CompletableFuture<PredictResponse> response) {
        try {
            return new Answer(responses.map(response.get(waitMillis, TimeUnit.MILLISECONDS), rows), null);
        } catch (ExecutionException e) {
            Status status = Status.fromThrowable(e.getCause());
            if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
                return new Answer(null, status);
            }
            throw new ModelUnavailableException(status, e.getCause());
        } catch (TimeoutException e) {
            throw new ModelUnavailableException(Status.DEADLINE_EXCEEDED.withDescription("no answer in " + waitMillis
                    + " ms"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException(Status.CANCELLED.withDescription("interrupted"), e);
        }
    }

    private static void fill(RowResult[] results, Range range, ModelOutput output) {
        for (int i = 0; i < range.size(); i++) {
            results[range.from() + i] = new RowResult.Scored(output.rows()[i], output.modelVersion());
        }
    }

    private void rememberAcceptedRow(List<float[]> rows, RowResult[] results) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof RowResult.Scored) {
                reference = rows.get(i);
                return;
            }
        }
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of the batch. */
    private record Range(int from, int to) {

        int size() {
            return to - from;
        }

        List<float[]> of(List<float[]> rows) {
            return rows.subList(from, to);
        }

        List<Range> halves() {
            int middle = (from + to) >>> 1;
            return List.of(new Range(from, middle), new Range(middle, to));
        }
    }

    private record Pending(Range range, CompletableFuture<PredictResponse> response) {
    }

    /** Rows the model refused together, with its INVALID_ARGUMENT status. */
    private record Refusal(Range range, Status status) {
    }

    /** A Predict answer: the scores, or the model's INVALID_ARGUMENT refusal (exactly one is set). */
    private record Answer(ModelOutput output, Status refusal) {
    }
}
