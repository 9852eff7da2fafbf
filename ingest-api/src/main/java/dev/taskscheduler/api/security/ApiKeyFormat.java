package dev.taskscheduler.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The form of an API key: {@code tsk_}, 256 random bits in base64url (43 characters), then the
 * first 8 hex digits of the SHA-256 of the two as a checksum. The prefix makes leaked keys
 * recognisable (secret scanners, logs); the checksum lets the server refuse a mistyped or made-up
 * key without a database lookup (and is what {@code sha256sum} computes, so a shell script can make
 * keys too: ops/scripts/create-api-key.sh). Keys are stored and looked up by their SHA-256 only.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "tsk_";
    private static final int RANDOM_BYTES = 32;
    private static final int BODY_LENGTH = 43;
    private static final int CHECKSUM_LENGTH = 8;
    public static final int LENGTH = PREFIX.length() + BODY_LENGTH + CHECKSUM_LENGTH;
    /** How much of a key listings show. */
    private static final int DISPLAYED_LENGTH = PREFIX.length() + 8;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MessageDigest SHA_256 = sha256();

    private ApiKeyFormat() {
    }

    /** A new random key. */
    public static String generate() {
        byte[] secret = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(secret);
        String body = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return body + checksum(body, body.length());
    }

    /**
     * Whether the text has the form of a key with a matching checksum. Constant work for any
     * input length: longer text is refused by its length first.
     */
    public static boolean isWellFormed(String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < PREFIX.length() + BODY_LENGTH; i++) {
            char c = text.charAt(i);
            boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!base64url) {
                return false;
            }
        }
        int checksumStart = LENGTH - CHECKSUM_LENGTH;
        return checksum(text, checksumStart).equals(text.substring(checksumStart));
    }

    /** Whether a bearer token is meant as an API key (rather than an OAuth2 token). */
    public static boolean looksLikeKey(String token) {
        return token.startsWith(PREFIX);
    }

    /** The SHA-256 of the key, as stored in {@code api_keys.key_hash}. */
    public static byte[] hash(String key) {
        try {
            MessageDigest digest = (MessageDigest) SHA_256.clone();
            return digest.digest(key.getBytes(StandardCharsets.US_ASCII));
        } catch (CloneNotSupportedException e) {
            return sha256().digest(key.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The start of the key that listings show, e.g. {@code tsk_Ab3dE5gH}. */
    public static String displayed(String key) {
        return key.substring(0, DISPLAYED_LENGTH);
    }

    private static String checksum(String text, int length) {
        return HexFormat.of().formatHex(hash(text.substring(0, length)), 0, CHECKSUM_LENGTH / 2);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
