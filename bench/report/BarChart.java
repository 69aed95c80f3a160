package report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** makespan.svg: every case's variants as bars of their median makespan, against the case's lower bound. */
final class BarChart {
    private static final int LEFT = 270, WIDTH = 500, BAR_H = 18, TOP = 40;

    /** One variant's bar. */
    private static final class Bar {
        final String group, label;
        final double makespan, lowerBound, withStartUp;
        final boolean jobserver;

        Bar(Case c, Run m) {
            this.group = c.name();
            this.label = Variants.label(m.variant) + ", peak " + m.peak;
            this.makespan = m.makespan();
            this.lowerBound = c.lowerBound;
            this.withStartUp = c.withStartUp();
            this.jobserver = Variants.jobserver(m.variant);
        }
    }

    private BarChart() {}

    static String render(List<Case> cases) {
        List<Bar> bars = new ArrayList<>();
        double max = 0;
        for (Case c : cases) {
            for (VariantRuns g : c.variants) {
                Bar b = new Bar(c, g.median());
                bars.add(b);
                max = Math.max(max, Math.max(b.makespan, b.withStartUp));
            }
        }
        max = Math.ceil(max / 5) * 5;
        double sx = WIDTH / max;
        StringBuilder body = new StringBuilder();
        int y = TOP;
        String group = null;
        for (Bar b : bars) {
            if (!b.group.equals(group)) {
                group = b.group;
                y += 10;
                body.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n", y + 12, Svg.esc(group)));
                y += 18;
            }
            bar(body, b, y, sx);
            y += BAR_H + 6;
        }
        int height = y + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" %s>%n",
                LEFT + WIDTH + 60, height, Svg.FONT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Makespan (green: jobserver variants)</text>\n");
        svg.append(body);
        for (int t = 0; t <= max; t += 5) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%d s</text>%n",
                    LEFT + t * sx, y + 8, t));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">solid tick: lower bound; dashed tick:"
                + " lower bound plus one Maven start-up</text>%n", LEFT, height - 10));
        return svg.append("</svg>\n").toString();
    }

    /** A bar at {@code y}: its label, the makespan, a solid tick at the lower bound, a dashed one with a start-up. */
    private static void bar(StringBuilder body, Bar b, int y, double sx) {
        body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 13,
                Svg.esc(b.label)));
        body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", LEFT, y,
                b.makespan * sx, BAR_H, b.jobserver ? "#2a9d55" : "#8c8c8c"));
        body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%.1f s</text>%n",
                LEFT + b.makespan * sx + 4, y + 13, b.makespan));
        body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" stroke-width=\"2\"/>%n",
                LEFT + b.lowerBound * sx, y - 2, LEFT + b.lowerBound * sx, y + BAR_H + 2));
        body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" stroke-dasharray=\"3,2\"/>%n",
                LEFT + b.withStartUp * sx, y - 2, LEFT + b.withStartUp * sx, y + BAR_H + 2));
    }
}
