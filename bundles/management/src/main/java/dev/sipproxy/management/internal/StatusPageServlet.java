package dev.sipproxy.management.internal;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;

/**
 * {@code /sip-proxy/}: one static page with plain JavaScript that polls the JSON API every 2 s.
 * The page holds no data itself, so it needs no login; the API calls it makes are checked as usual.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/sip-proxy/*",
    "osgi.http.whiteboard.servlet.name=sip-proxy-status-page",
})
public class StatusPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PAGE = "status.html";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String info = req.getPathInfo();
        if (info == null || info.isEmpty()) {
            // relative URLs in the page need the trailing slash
            resp.sendRedirect(req.getRequestURI() + "/");
            return;
        }
        if (!info.equals("/") && !info.equals("/index.html")) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream in = StatusPageServlet.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                resp.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "status page missing from the bundle");
                return;
            }
            byte[] body = in.readAllBytes();
            resp.setStatus(200);
            resp.setContentType("text/html;charset=utf-8");
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }
}
