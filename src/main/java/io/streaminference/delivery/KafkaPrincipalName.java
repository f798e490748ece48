package io.streaminference.delivery;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The principal the broker sees for the app's clients, worked out from their configuration, so a refusal can name who
 * was refused: {@code User:<username>} from the SASL login, {@code User:<subject>} from an SSL client certificate, or
 * {@code User:ANONYMOUS} over PLAINTEXT. A broker with its own principal builder or mapping rules may name it
 * differently; the configured identity is still the one to grant to.
 */
public final class KafkaPrincipalName {

    private static final Pattern SASL_USER = Pattern.compile("\\b(?:username|principal)\\s*=\\s*\"([^\"]*)\"");

    private KafkaPrincipalName() {
    }

    /** The broker's refusal of the principal somewhere in the cause chain of {@code failure}, or null. */
    public static AuthorizationException denial(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthorizationException denied) {
                return denied;
            }
        }
        return null;
    }

    public static String of(Map<String, Object> clientConfig) {
        String protocol = String.valueOf(clientConfig.getOrDefault("security.protocol", "PLAINTEXT"));
        if (protocol.startsWith("SASL_")) {
            Object jaas = clientConfig.get("sasl.jaas.config");
            Matcher user = SASL_USER.matcher(jaas == null ? "" : jaas.toString());
            return user.find() ? "User:" + user.group(1) : "the SASL user of sasl.jaas.config";
        }
        if (protocol.equals("SSL")) {
            String subject = certificateSubject(clientConfig);
            return subject == null ? "the subject of the client certificate (ssl.keystore.*)" : "User:" + subject;
        }
        return "User:ANONYMOUS";
    }

    private static String certificateSubject(Map<String, Object> config) {
        Object location = config.get("ssl.keystore.location");
        if (location == null) {
            return null;
        }
        Object type = config.getOrDefault("ssl.keystore.type", KeyStore.getDefaultType());
        Object password = config.get("ssl.keystore.password");
        try (InputStream in = Files.newInputStream(Path.of(location.toString()))) {
            KeyStore store = KeyStore.getInstance(type.toString());
            store.load(in, password == null ? null : password.toString().toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (store.isKeyEntry(alias) && certificate instanceof X509Certificate x509) {
                    return x509.getSubjectX500Principal().getName();
                }
            }
            return null;
        } catch (Exception e) {
            // Naming the principal is a courtesy of an error message; an unreadable keystore fails the client itself.
            return null;
        }
    }
}
