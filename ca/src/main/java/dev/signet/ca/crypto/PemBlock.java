package dev.signet.ca.crypto;

/** One PEM block: its label (e.g. {@code CERTIFICATE}) and the DER bytes it carries. */
public record PemBlock(String label, byte[] der) {}
