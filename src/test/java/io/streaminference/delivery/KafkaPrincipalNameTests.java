package io.streaminference.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.streaminference.testing.TestCertificates;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaPrincipalNameTests {

    @Test
    void namesTheScramUserOfTheJaasConfig() {
        assertThat(KafkaPrincipalName.of(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pipeline\" password=\"x\";")))
                .isEqualTo("User:pipeline");
    }

    @Test
    void namesAnonymousOverPlaintext() {
        assertThat(KafkaPrincipalName.of(Map.of())).isEqualTo("User:ANONYMOUS");
    }

    @Test
    void namesTheSubjectOfTheSslClientCertificate() {
        TestCertificates certificates = TestCertificates.create();
        assertThat(KafkaPrincipalName.of(Map.of("security.protocol", "SSL", "ssl.keystore.type", "PKCS12",
                "ssl.keystore.location", certificates.serverStore().toString(), "ssl.keystore.password",
                TestCertificates.PASSWORD))).isEqualTo("User:CN=localhost");
    }

    @Test
    void pointsAtTheCertificateWhenTheKeystoreCannotBeRead() {
        assertThat(KafkaPrincipalName.of(Map.of("security.protocol", "SSL", "ssl.keystore.location", "/nonexistent")))
                .contains("client certificate");
    }
}
