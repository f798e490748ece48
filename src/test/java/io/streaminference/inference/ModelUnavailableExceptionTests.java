package io.streaminference.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ModelUnavailableExceptionTests {

    @Test
    void namesAFailedTlsHandshakeAndWhereToLook() {
        Status status = Status.UNAVAILABLE.withDescription("io exception").withCause(new RuntimeException("channel",
                new SSLHandshakeException("PKIX path building failed")));

        assertThat(new ModelUnavailableException(status, status.asRuntimeException()).getMessage())
                .isEqualTo("Predict failed with UNAVAILABLE: io exception (TLS handshake with the model server failed: "
                        + "PKIX path building failed; check grpc.client.tf-serving.security.*)");
    }

    @Test
    void saysNothingOfTlsWhenTheServerIsSimplyAway() {
        Status status = Status.UNAVAILABLE.withDescription("io exception");

        assertThat(new ModelUnavailableException(status, status.asRuntimeException()).getMessage())
                .isEqualTo("Predict failed with UNAVAILABLE: io exception");
    }
}
