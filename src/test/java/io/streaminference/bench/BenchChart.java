package io.streaminference.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleToIntFunction;
import javax.imageio.ImageIO;

/** Draws the benchmark's chart: throughput per scenario and latency percentiles per load level, both log scale. */
final class BenchChart {

    private static final Color[] PERCENTILE_COLOURS = {new Color(0x4C78A8), new Color(0xF58518), new Color(0xE45756)};

    private BenchChart() {
    }

    /** {@code throughput}: scenario → events/s; {@code latency}: load level → {p50, p99, p99.9} in ms. */
    static void draw(Map<String, Double> throughput, LinkedHashMap<String, double[]> latency, String title, Path png)
            throws IOException {
        BufferedImage image = new BufferedImage(1100, 460, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 28);
        throughputPanel(g, throughput, 20, 60, 500, 360);
        latencyPanel(g, latency, 580, 60, 500, 360);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void throughputPanel(Graphics2D g, Map<String, Double> throughput, int x, int y, int w, int h) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("Throughput, events/s (log scale)", x, y);
        double maxLog = Math.ceil(Math.log10(throughput.values().stream().mapToDouble(v -> v).max().orElse(10)));
        int labelWidth = 150;
        int barArea = w - labelWidth - 70;
        int row = (h - 40) / Math.max(1, throughput.size());
        int i = 0;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (Map.Entry<String, Double> bar : throughput.entrySet()) {
            int top = y + 20 + i++ * row;
            int length = (int) (barArea * Math.max(0, Math.log10(Math.max(1, bar.getValue()))) / maxLog);
            g.setColor(new Color(0x4C78A8));
            g.fillRect(x + labelWidth, top + 6, length, row - 14);
            g.setColor(Color.BLACK);
            g.drawString(bar.getKey(), x, top + row / 2 + 2);
            g.drawString(String.format(Locale.ROOT, "%,.0f", bar.getValue()), x + labelWidth + length + 6,
                    top + row / 2 + 2);
        }
    }

    private static void latencyPanel(Graphics2D g, LinkedHashMap<String, double[]> latency, int x, int y, int w, int h) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("End-to-end latency (log scale; p50 / p99 / p99.9); relay = floor", x, y);
        double max = 1_000;
        for (double[] values : latency.values()) {
            for (double value : values) {
                if (!Double.isNaN(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        int bottom = y + h - 30;
        int plotHeight = h - 60;
        // From 10 ms to the decade above the slowest percentile: the floor's tens of milliseconds and seconds-long
        // tails of an overloaded phase stay readable in one panel.
        double maxDecade = Math.ceil(Math.log10(max));
        DoubleToIntFunction top = ms -> bottom
                - (int) (plotHeight * (Math.log10(Math.max(10, ms)) - 1) / (maxDecade - 1));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int decade = 1; decade <= maxDecade; decade++) {
            double ms = Math.pow(10, decade);
            int ty = top.applyAsInt(ms);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(x + 40, ty, x + w, ty);
            g.setColor(Color.DARK_GRAY);
            g.drawString(ms < 1_000 ? String.format(Locale.ROOT, "%.0f ms", ms)
                    : String.format(Locale.ROOT, "%.0f s", ms / 1_000), x - 4, ty + 4);
        }
        // The targets are ratios to the floor (the relay's bars), not lines in milliseconds: the absolute ones (50 and
        // 100 ms p99) were retired as below what this machine's topology alone costs.
        g.setColor(new Color(0xB00000));
        g.drawString("targets: p99 ≤ 1.5 × relay at 50%, ≤ 2 × at 80%; p50 ≤ 1.5 × relay at 50%", x + 40, bottom + 34);
        int group = (w - 50) / Math.max(1, latency.size());
        int i = 0;
        for (Map.Entry<String, double[]> level : latency.entrySet()) {
            int left = x + 50 + i++ * group;
            int barWidth = (group - 20) / 3;
            for (int p = 0; p < 3; p++) {
                double value = level.getValue()[p];
                int barTop = Double.isNaN(value) ? bottom : top.applyAsInt(value);
                g.setColor(PERCENTILE_COLOURS[p]);
                g.fillRect(left + p * barWidth, barTop, barWidth - 3, bottom - barTop);
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
                g.drawString(value < 1_000 ? String.format(Locale.ROOT, "%.0f", value)
                        : String.format(Locale.ROOT, "%.1fs", value / 1_000), left + p * barWidth, barTop - 3);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            }
            g.drawString(level.getKey(), left, bottom + 16);
        }
        String[] legend = {"p50", "p99", "p99.9"};
        for (int p = 0; p < 3; p++) {
            g.setColor(PERCENTILE_COLOURS[p]);
            g.fillRect(x + w - 170 + p * 56, y + 12, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(legend[p], x + w - 156 + p * 56, y + 21);
        }
    }
}
