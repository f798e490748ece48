package io.streaminference.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the JDK's {@code keytool} — no private key is ever committed: a CA, a server
 * certificate it signs for 127.0.0.1 and localhost, a client certificate it signs, and an unrelated CA to trust by
 * mistake. Keystores are PKCS12 ({@link #PASSWORD}); certificates and the client's key also as PEM, the form
 * {@code grpc.client.*.security.*} and most servers read.
 *
 * @param caPem         the CA's certificate
 * @param otherCaPem    a CA that signed nothing here
 * @param serverStore   the server's key and chain (PKCS12)
 * @param clientChain   the client's certificate chain (PEM)
 * @param clientKey     the client's private key (PKCS#8 PEM)
 * @param serverChain   the server's certificate chain (PEM), for servers that read PEM (redis-server)
 * @param serverKey     the server's private key (PKCS#8 PEM)
 */
public record TestCertificates(Path caPem, Path otherCaPem, Path serverStore, Path clientChain, Path clientKey,
        Path serverChain, Path serverKey) {

    public static final String PASSWORD = "test-only-password";

    public static TestCertificates create() {
        try {
            Path dir = Files.createTempDirectory("test-certificates");
            keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=test-ca",
                    "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
            keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
            keytool(dir, "-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                    "CN=other-ca", "-ext", "bc:c", "-validity", "2", "-keystore", "other.p12");
            keytool(dir, "-exportcert", "-rfc", "-alias", "other", "-keystore", "other.p12", "-file", "other-ca.pem");
            signed(dir, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost", "EKU=serverAuth");
            signed(dir, "client", "CN=stream-inference", null, "EKU=clientAuth");
            Path clientChain = dir.resolve("client-chain.pem");
            Files.writeString(clientChain, Files.readString(dir.resolve("client.pem")) + Files.readString(
                    dir.resolve("ca.pem")));
            Path clientKey = dir.resolve("client-key.pem");
            Files.writeString(clientKey, pem("PRIVATE KEY", privateKey(dir.resolve("client.p12"), "client")));
            Path serverChain = dir.resolve("server-chain.pem");
            Files.writeString(serverChain, Files.readString(dir.resolve("server.pem")) + Files.readString(
                    dir.resolve("ca.pem")));
            Path serverKey = dir.resolve("server-key.pem");
            Files.writeString(serverKey, pem("PRIVATE KEY", privateKey(dir.resolve("server.p12"), "server")));
            return new TestCertificates(dir.resolve("ca.pem"), dir.resolve("other-ca.pem"), dir.resolve("server.p12"),
                    clientChain, clientKey, serverChain, serverKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key pair {@code name}, its certificate signed by the CA, and the chain back in its keystore. */
    private static void signed(Path dir, String name, String dname, String san, String eku) throws IOException {
        keytool(dir, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname,
                "-validity", "2", "-keystore", name + ".p12");
        keytool(dir, "-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", name + ".csr", "-outfile", name + ".pem", "-validity", "2", "-ext", eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(dir, gencert.toArray(String[]::new));
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-keystore", name + ".p12", "-file", "ca.pem");
        keytool(dir, "-importcert", "-alias", name, "-keystore", name + ".p12", "-file", name + ".pem");
    }

    private static byte[] privateKey(Path store, String alias) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            Key key = keys.getKey(alias, PASSWORD.toCharArray());
            return key.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
