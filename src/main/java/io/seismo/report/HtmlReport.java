package io.seismo.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A self-describing HTML page: a title, facts, tables and charts (PNG files beside it). */
public final class HtmlReport {
    private final String title;
    private final StringBuilder body = new StringBuilder();

    public HtmlReport(String title) {
        this.title = title;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    public HtmlReport heading(String text) {
        body.append("<h2 id=\"").append(anchor(text)).append("\">").append(escape(text)).append("</h2>\n");
        return this;
    }

    /** A table; a cell starting with {@code #} links to the heading of the same text. */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table><thead><tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr></thead><tbody>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (String cell : row) {
                if (cell.startsWith("#")) {
                    String text = cell.substring(1);
                    body.append("<td><a href=\"#").append(anchor(text)).append("\">").append(escape(text)).append("</a></td>");
                } else {
                    body.append("<td>").append(escape(cell)).append("</td>");
                }
            }
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
        return this;
    }

    /** An image, by its path relative to the report. */
    public HtmlReport image(String relativePath, String alt) {
        body.append("<img src=\"").append(escape(relativePath.replace('\\', '/'))).append("\" alt=\"").append(escape(alt))
                .append("\" loading=\"lazy\">\n");
        return this;
    }

    public void write(Path file) {
        String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse;margin:1em 0}"
                + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
                + "img{max-width:100%;border:1px solid #eee}h2{margin-top:2em}</style></head><body>\n<h1>" + escape(title) + "</h1>\n"
                + body + "</body></html>\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String anchor(String text) {
        List<String> parts = new ArrayList<>();
        for (String p : text.split("[^A-Za-z0-9_-]+")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return "s-" + String.join("-", parts);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
