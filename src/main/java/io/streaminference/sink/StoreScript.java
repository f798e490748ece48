package io.streaminference.sink;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One of the store's Lua scripts ({@code redis/*.lua}): its body, to load, and its SHA-1, to call by. */
record StoreScript(String name, byte[] body, String sha) {

    static final StoreScript STORE_PREDICTIONS = load("store-predictions.lua");
    static final StoreScript READ_BUCKETS = load("read-buckets.lua");

    private static StoreScript load(String name) {
        try (InputStream in = StoreScript.class.getResourceAsStream("/redis/" + name)) {
            byte[] body = in.readAllBytes();
            return new StoreScript(name, body, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body)));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("redis/" + name + " missing from the classpath", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }
}
