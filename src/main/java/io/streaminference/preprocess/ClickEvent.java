package io.streaminference.preprocess;

/**
 * One validated s0 event, optional fields already replaced by their documented defaults.
 *
 * @param eventTimeMs event time, epoch milliseconds
 * @param method      upper case, default {@code GET}
 * @param bytes       response size, default 0
 * @param durationMs  request duration, default 0
 * @param userAgent   default empty
 * @param referrer    default empty (no referrer)
 * @param ip          default empty
 */
record ClickEvent(
        String eventId,
        String userId,
        long eventTimeMs,
        String path,
        int status,
        String method,
        long bytes,
        double durationMs,
        String userAgent,
        String referrer,
        String ip) {
}
