package moelab.grading;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How test verdicts travel from the test JVM to the grader: lines on the test JVM's standard
 * output, each {@code MOELAB-VERDICT <seq> <payload> <mac>}, where the payload is Base64 JSON and
 * the MAC is HmacSHA256 over the grader's nonce, the sequence number and the payload, under a key
 * the grader makes fresh for each run and hands to the test JVM on its standard input (never on
 * its command line, environment or disk).
 *
 * <p>Student code runs in the test JVM but cannot read the key (the runner keeps it in locals
 * only, and the bytecode check forbids reflection, attach and standard streams), so it cannot
 * make a line the grader accepts; sequence numbers stop replays, reordering and dropped lines
 * from going unnoticed. Every other line on the channel is ignored.
 */
final class VerdictChannel {

    private static final String PREFIX = "MOELAB-VERDICT ";
    private static final String ALGORITHM = "HmacSHA256";

    private VerdictChannel() {}

    /** A fresh secret for one run: {@code <hex key> <hex nonce>}, the line the grader sends. */
    static String newSecret() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        byte[] nonce = new byte[16];
        random.nextBytes(key);
        random.nextBytes(nonce);
        return HexFormat.of().formatHex(key) + " " + HexFormat.of().formatHex(nonce);
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(secret.split(" ")[0]), ALGORITHM));
            return mac;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("bad verdict channel secret", e);
        }
    }

    private static byte[] sign(Mac mac, String nonce, long seq, String payload) {
        return mac.doFinal((nonce + "|" + seq + "|" + payload).getBytes(StandardCharsets.UTF_8));
    }

    /** The test JVM's end: signs and writes payloads, numbered from 0. Keep it in locals only. */
    static final class Signer {

        private final Mac mac;
        private final String nonce;
        private final PrintStream out;
        private long seq;

        Signer(String secret, PrintStream out) {
            this.mac = mac(secret);
            this.nonce = secret.split(" ")[1];
            this.out = out;
        }

        /** Sends one payload; a leading newline ends any partial line someone else wrote. */
        synchronized void send(String payload) {
            String data = Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            String tag = Base64.getEncoder().encodeToString(sign(mac, nonce, seq, data));
            out.print("\n" + PREFIX + seq + " " + data + " " + tag + "\n");
            out.flush();
            seq++;
        }
    }

    /** The grader's end: accepts authentic lines in sequence, counts the rest. */
    static final class Verifier {

        private final Mac mac;
        private final String nonce;
        private long next;
        private int rejected;

        Verifier(String secret) {
            this.mac = mac(secret);
            this.nonce = secret.split(" ")[1];
        }

        /** The payload of an authentic line with the next sequence number, else null. */
        synchronized String accept(String line) {
            int start = line.indexOf(PREFIX);
            if (start < 0) {
                return null;
            }
            String[] parts = line.substring(start + PREFIX.length()).strip().split(" ");
            try {
                if (parts.length == 3 && Long.parseLong(parts[0]) == next
                        && MessageDigest.isEqual(Base64.getDecoder().decode(parts[2]), sign(mac, nonce, next, parts[1]))) {
                    next++;
                    return new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                // not a number or not Base64: not ours
            }
            rejected++;
            return null;
        }

        /** How many lines looked like verdicts but were not authentic or not in sequence. */
        synchronized int rejected() {
            return rejected;
        }
    }
}
