package io.streaminference.inference;

import io.grpc.Status;
import io.streaminference.contract.Features;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tensorflow.serving.Predict.PredictResponse;

/**
 * Scores a batch of rows with as few Predict calls as possible: chunks of at most {@code maxBatchSize} rows, up to
 * {@code maxInFlight} calls outstanding, answers mapped back by row index. A chunk the model refuses with
 * INVALID_ARGUMENT is bisected until the refused rows are isolated, so their neighbours are still scored. Any other
 * failure is transient and thrown as {@link ModelUnavailableException} / {@link ModelOutputException}.
 */
final class BatchScorer {

    /** Slack past the gRPC deadline before we stop waiting ourselves; the deadline normally fires first. */
    private static final long WAIT_SLACK_MS = 1_000;

    private final Predictor predictor;
    private final PredictRequestFactory requests;
    private final PredictResponseMapper responses;
    private final int maxBatchSize;
    private final int maxInFlight;
    private final long waitMillis;

    BatchScorer(Predictor predictor, PredictRequestFactory requests, PredictResponseMapper responses, int maxBatchSize,
            int maxInFlight, long deadlineMillis) {
        this.predictor = predictor;
        this.requests = requests;
        this.responses = responses;
        this.maxBatchSize = maxBatchSize;
        this.maxInFlight = maxInFlight;
        this.waitMillis = deadlineMillis + WAIT_SLACK_MS;
    }

    /** @return one result per row, index-aligned with {@code rows} */
    RowResult[] score(List<Features> rows) {
        RowResult[] results = new RowResult[rows.size()];
        Deque<Call> inFlight = new ArrayDeque<>(maxInFlight);
        for (int from = 0; from < rows.size(); from += maxBatchSize) {
            if (inFlight.size() == maxInFlight) {
                complete(inFlight.removeFirst(), rows, results);
            }
            int to = Math.min(from + maxBatchSize, rows.size());
            inFlight.addLast(new Call(from, to, predictor.predict(requests.build(rows.subList(from, to)))));
        }
        while (!inFlight.isEmpty()) {
            complete(inFlight.removeFirst(), rows, results);
        }
        return results;
    }

    private void complete(Call call, List<Features> rows, RowResult[] results) {
        try {
            fill(results, call.from, responses.map(await(call.response), call.to - call.from));
        } catch (RefusedException refused) {
            bisect(rows, call.from, call.to, results, refused.status);
        }
    }

    /** Splits a refused range until each refused row stands alone; a single refused row is that row's fault. */
    private void bisect(List<Features> rows, int from, int to, RowResult[] results, Status refusal) {
        if (to - from == 1) {
            results[from] = new RowResult.Invalid(String.valueOf(refusal.getDescription()));
            return;
        }
        int middle = (from + to) >>> 1;
        scoreRangeOrBisect(rows, from, middle, results);
        scoreRangeOrBisect(rows, middle, to, results);
    }

    private void scoreRangeOrBisect(List<Features> rows, int from, int to, RowResult[] results) {
        try {
            CompletableFuture<PredictResponse> response = predictor.predict(requests.build(rows.subList(from, to)));
            fill(results, from, responses.map(await(response), to - from));
        } catch (RefusedException refused) {
            bisect(rows, from, to, results, refused.status);
        }
    }

    private static void fill(RowResult[] results, int from, ModelOutput output) {
        for (int i = 0; i < output.rows().length; i++) {
            results[from + i] = new RowResult.Scored(output.rows()[i], output.modelVersion());
        }
    }

    private PredictResponse await(CompletableFuture<PredictResponse> response) throws RefusedException {
        try {
            return response.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Status status = Status.fromThrowable(e.getCause());
            if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
                throw new RefusedException(status);
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

    private record Call(int from, int to, CompletableFuture<PredictResponse> response) {
    }

    /** INVALID_ARGUMENT: the model refuses something in the request's rows. */
    private static final class RefusedException extends Exception {
        private final transient Status status;

        RefusedException(Status status) {
            super(null, null, false, false);
            this.status = status;
        }
    }
}
