package dev.signet.agent.grpc;

import dev.signet.ca.crypto.KeyFit;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.CertificateUtils;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps a key manager on a certificate file and a key file that the agent replaces together, taking a pair only
 * when the key fits the certificate. Read between the agent's two renames, the files hold an old key and a new
 * certificate (or the reverse); gRPC's own file reloading would take that pair, and every handshake with it fails
 * until the next renewal. Here a mismatched read is simply tried again.
 */
final class PairedIdentityFiles {

    private static final Logger LOG = Logger.getLogger(PairedIdentityFiles.class.getName());
    private static final int ATTEMPTS = 50;

    private final File certificate;
    private final File key;
    private final AdvancedTlsX509KeyManager manager;
    private long certificateTime;
    private long keyTime;
    private String lastProblem = "";

    private PairedIdentityFiles(File certificate, File key, AdvancedTlsX509KeyManager manager) {
        this.certificate = certificate;
        this.key = key;
        this.manager = manager;
    }

    /** Loads a fitting pair now (retrying briefly), then re-checks every {@code refreshSeconds}. */
    static AdvancedTlsX509KeyManager watch(
            File certificate, File key, long refreshSeconds, ScheduledExecutorService executor)
            throws IOException, GeneralSecurityException {
        PairedIdentityFiles files = new PairedIdentityFiles(certificate, key, new AdvancedTlsX509KeyManager());
        for (int attempt = 1; !files.reload(); attempt++) {
            if (attempt == ATTEMPTS) {
                throw new GeneralSecurityException(
                        "the key in " + key + " does not fit the certificate in " + certificate);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading " + certificate, e);
            }
        }
        executor.scheduleWithFixedDelay(files::reloadIfChanged, refreshSeconds, refreshSeconds, TimeUnit.SECONDS);
        return files.manager;
    }

    private void reloadIfChanged() {
        if (certificate.lastModified() == certificateTime && key.lastModified() == keyTime) {
            return;
        }
        try {
            if (!reload()) {
                LOG.fine(() -> "read " + certificate + " and " + key + " between two replacements; trying next time");
            }
        } catch (IOException | GeneralSecurityException e) {
            // Said once per distinct problem: files removed for good would otherwise be reported on every refresh.
            String problem = e.getMessage();
            if (!problem.equals(lastProblem)) {
                lastProblem = problem;
                LOG.warning(() -> "cannot re-read " + certificate + " and " + key + ": " + problem
                        + "; the previous certificate stays in use");
            }
        }
    }

    /** Reads both files; takes them only when the key fits the certificate. */
    private boolean reload() throws IOException, GeneralSecurityException {
        long certificateModified = certificate.lastModified();
        long keyModified = key.lastModified();
        PrivateKey privateKey;
        X509Certificate[] chain;
        try (InputStream in = new FileInputStream(key)) {
            privateKey = CertificateUtils.getPrivateKey(in);
        }
        try (InputStream in = new FileInputStream(certificate)) {
            chain = CertificateUtils.getX509Certificates(in);
        }
        if (chain.length == 0 || !KeyFit.fitsQuietly(privateKey, chain[0].getPublicKey())) {
            return false;
        }
        manager.updateIdentityCredentials(chain, privateKey);
        lastProblem = "";
        certificateTime = certificateModified;
        keyTime = keyModified;
        return true;
    }
}
