package dev.flat.core.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * What an html report inlines: uPlot's script and style sheet, read from its WebJar on the class
 * path (org.webjars.npm:uplot, docs/dependencies.md), and the page's own skeleton, script and
 * styles (resources next to this class, in {@code html/}). The page must open offline, so
 * nothing is fetched. uPlot's version is the WebJar's own (its pom.properties), so the pom is the
 * one place that names it.
 */
final class HtmlAssets {
    private static final String WEBJAR = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private static final String PAGE = "dev/flat/core/report/html/";

    final String uplotVersion;
    final String uplotScript;
    final String uplotStyles;
    /** page.html, with the places of the styles, the data and the scripts marked. */
    final String pageSkeleton;
    final String pageScript;
    final String pageStyles;

    private HtmlAssets(String uplotVersion, String uplotScript, String uplotStyles) {
        this.uplotVersion = uplotVersion;
        this.uplotScript = uplotScript;
        this.uplotStyles = uplotStyles;
        this.pageSkeleton = text(PAGE + "page.html");
        this.pageScript = scriptText(PAGE + "page.js");
        this.pageStyles = text(PAGE + "page.css");
    }

    /** Read once per process: about 80 KiB. */
    static HtmlAssets get() {
        return Holder.ASSETS;
    }

    private static final class Holder {
        static final HtmlAssets ASSETS = load();
    }

    private static HtmlAssets load() {
        Properties p = new Properties();
        try (InputStream in = resource(WEBJAR)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + WEBJAR, e);
        }
        String version = p.getProperty("version");
        String dist = "META-INF/resources/webjars/uplot/" + version + "/dist/";
        return new HtmlAssets(version, scriptText(dist + "uPlot.iife.min.js"), text(dist + "uPlot.min.css"));
    }

    /**
     * A script is inlined verbatim, so it must not contain what would end the script element or
     * open an HTML comment inside it (HTML, "script data" state); uPlot's build has neither.
     */
    private static String scriptText(String name) {
        String s = text(name);
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.contains("</script") || lower.contains("<!--")) {
            throw new IllegalStateException(name + " contains </script or <!--: it cannot be inlined as it is");
        }
        return s;
    }

    private static String text(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name + " from the class path", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = HtmlAssets.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path (a build without the uPlot WebJar?)");
        }
        return in;
    }
}
