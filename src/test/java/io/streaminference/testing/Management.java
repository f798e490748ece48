package io.streaminference.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.web.client.RestClient;

/**
 * The management port as the tests call it: as the local demo's operator (src/test/resources/local-demo.yml),
 * who may see health details, scrape metrics, redrive and move model labels.
 */
public final class Management {

    public static final String OPERATOR = "operator";
    public static final String OPERATOR_PASSWORD = "local-operator";

    private Management() {
    }

    /** @return a client for {@code http://127.0.0.1:<port>/actuator…}, signed in as the operator */
    public static RestClient operator(int managementPort) {
        return RestClient.builder().baseUrl("http://127.0.0.1:" + managementPort)
                .defaultHeader("Authorization", basic(OPERATOR, OPERATOR_PASSWORD)).build();
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
