package dev.sipproxy.management.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

/** Writes JSON documents and JSON error bodies. */
final class JsonResponses {
    private JsonResponses() {
    }

    static void send(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        send(resp, status, new Json().object().field("status", status).field("error", message).end().toString());
    }
}
