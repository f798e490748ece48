package io.streaminference.query;

import io.streaminference.roles.ConditionalOnRole;
import io.streaminference.roles.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every query API error as {@code application/problem+json}: framework errors through Spring's own mapping, ours
 * below. Details name the request parameter at fault, never a class, key or stack frame.
 */
@ConditionalOnRole(Role.API)
@RestControllerAdvice
class QueryExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(QueryExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, e.title(), e.getMessage());
    }

    @ExceptionHandler(DataAccessException.class)
    ProblemDetail storeUnavailable(DataAccessException e) {
        log.warn("Prediction store unavailable: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Prediction store unavailable", "Try again shortly.");
    }

    @ExceptionHandler(StoredReader.CorruptPredictionException.class)
    ProblemDetail corrupt(StoredReader.CorruptPredictionException e) {
        log.error("Unreadable stored prediction", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Stored prediction unreadable",
                "The stored value could not be read.");
    }

    /** Anything unforeseen: logged with its stack trace here, answered without it. */
    @ExceptionHandler(RuntimeException.class)
    ProblemDetail unexpected(RuntimeException e) {
        log.error("Unexpected error serving a query", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "The request could not be served.");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
