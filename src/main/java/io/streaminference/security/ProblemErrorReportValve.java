package io.streaminference.security;

import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own refusals — a request it will not hand to the app, such as an encoded {@code /} in the path — as a
 * problem+json like every other 4xx, instead of Tomcat's HTML page (which also names the server). Public only
 * because Tomcat instantiates it by name.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    /** Tomcat's host makes it by reflection ({@link TomcatProblemsCustomizer}). */
    public ProblemErrorReportValve() {
        super();
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemResponses.body(status, status < 500 ? "Bad Request" : "Error",
                        "The request was refused before it reached the app"));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is committed: nothing left to tell it.
        }
    }
}
