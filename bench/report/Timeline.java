package report;

import java.util.List;
import java.util.Locale;

/** A case's timeline chart: per variant, the items running over its median run, and the limit N. */
final class Timeline {
    private static final int LEFT = 190, WIDTH = 600, ROW_H = 80, TOP = 40, GAP = 26;

    private final StringBuilder svg = new StringBuilder();
    private final double tMax; // seconds on the time axis, a multiple of 5
    private final int yMax; // items on the vertical axis: the highest peak or N

    private Timeline(double tMax, int yMax) {
        this.tMax = tMax;
        this.yMax = yMax;
    }

    /** One row per variant: the number of items running over time (median run), and the limit N. */
    static String render(Case c) {
        List<VariantRuns> groups = c.variants;
        double tMax = 0;
        int yMax = 0;
        for (VariantRuns g : groups) {
            Run m = g.median();
            tMax = Math.max(tMax, m.makespan());
            yMax = Math.max(yMax, Math.max(m.peak, m.n));
        }
        Timeline chart = new Timeline(Math.ceil(tMax / 5) * 5, yMax);
        StringBuilder svg = chart.svg;
        int height = TOP + groups.size() * (ROW_H + GAP) + 30;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" %s>%n",
                LEFT + WIDTH + 30, height, Svg.FONT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        String title = c.scenario + ", " + c.flavour + ": work items running at once";
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", Svg.esc(title)));
        for (int i = 0; i < groups.size(); i++) {
            chart.row(groups.get(i).median(), TOP + i * (ROW_H + GAP) + ROW_H);
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">filled: items running; dashed: the limit N;"
                + " bar: the end of the run (make or Maven done)</text>%n", LEFT, height - 8));
        return svg.append("</svg>\n").toString();
    }

    /** A variant's row above the baseline {@code y0}: its figures, its items running, N and the run's end. */
    private void row(Run m, int y0) {
        double sy = (double) ROW_H / yMax;
        double sx = WIDTH / tMax;
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n", y0 - ROW_H + 14,
                Svg.esc(Variants.label(m.variant))));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">peak %d, %.1f s</text>%n", y0 - ROW_H + 30, m.peak,
                m.makespan()));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">occupancy %.2f</text>%n", y0 - ROW_H + 46, m.occupancy()));
        svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"%s\" fill-opacity=\"0.75\" stroke=\"%s\"/>%n",
                running(m, y0, sx, sy), Svg.colour(m.variant), Svg.colour(m.variant)));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", LEFT, y0,
                LEFT + WIDTH, y0));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", LEFT, y0,
                LEFT, y0 - ROW_H));
        double yn = y0 - m.n * sy;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#1f4e9c\" stroke-dasharray=\"5,3\"/>%n",
                LEFT, yn, LEFT + WIDTH, yn));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"#1f4e9c\">N=%d</text>%n", LEFT + WIDTH + 2, yn + 4, m.n));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%d</text>%n", LEFT - 3,
                y0 - ROW_H + 8, yMax));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" stroke-width=\"2\"/>%n",
                LEFT + m.makespan() * sx, y0 - ROW_H, LEFT + m.makespan() * sx, y0));
        for (int t = 0; t <= tMax; t += 5) {
            double x = LEFT + t * sx;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%d s</text>%n",
                    x, y0 + 12, t));
        }
    }

    /** The outline of the items running over the run, as a path's steps. */
    private static String running(Run m, int y0, double sx, double sy) {
        StringBuilder path = new StringBuilder(String.format(Locale.ROOT, "M%d,%d", LEFT, y0));
        int running = 0;
        for (long[] e : Run.events(m.intervals)) {
            double x = LEFT + (e[0] - m.t0) / 1e9 * sx;
            path.append(String.format(Locale.ROOT, " L%.1f,%.1f", x, y0 - running * sy));
            running += e[1];
            path.append(String.format(Locale.ROOT, " L%.1f,%.1f", x, y0 - running * sy));
        }
        path.append(String.format(Locale.ROOT, " L%.1f,%d Z", LEFT + m.makespan() * sx, y0));
        return path.toString();
    }
}
