package dev.signet.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand on a socket, for requests that well-behaved clients refuse to make: a foreign
 * {@code Host}, browser headers, a half-sent request. The answer is read until the server closes the connection.
 */
final class RawHttp {

    record Answer(int status, String text) {}

    private RawHttp() {}

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}. */
    static Answer send(int port, String head, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write((head.strip().replace("\n", "\r\n") + "\r\nContent-Length: " + bytes.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String[] statusLine = text.split(" ", 3);
            return new Answer(statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1, text);
        }
    }
}
