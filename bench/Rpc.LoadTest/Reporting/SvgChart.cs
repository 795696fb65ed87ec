using System.Globalization;
using System.Net;
using System.Text;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Reporting;

/// <summary>
/// The run as one SVG written by hand: a panel per workload, each with its own linear axis from zero (calls/s at
/// 1 caller and at 256 differ a hundredfold), one bar per contender labelled with its value and its ratio to raw.
/// </summary>
internal static class SvgChart
{
    // Each contender gets a slot of this width in every panel (ten contenders: 580 px per panel).
    private const int SlotWidth = 58;
    private const int PanelGap = 56;
    private const int Left = 60;
    private const int Top = 92;
    private const int PlotHeight = 260;
    private const int Bottom = 70;
    private const int BarWidth = 44;
    private const int LegendRowHeight = 20;
    private const int LegendRowWidth = 1100;

    private static readonly string[] s_colors = ["#2563eb", "#60a5fa", "#1e3a8a", "#f59e0b", "#10b981", "#6ee7b7", "#8b5cf6", "#ef4444", "#ec4899", "#a16207", "#6b7280"];

    public static string Render(ResultTable table, RunSettings settings)
    {
        Workload[] workloads = table.Workloads.ToArray();
        int panelWidth = Math.Max(230, SlotWidth * table.Contenders.Count);
        int width = Math.Max(Left + workloads.Length * (panelWidth + PanelGap) + 10, Left + LegendRowWidth);
        // The legend wraps into rows; the panels move down by the rows beyond the first.
        int legendRows = LegendRows(table.Contenders);
        int top = Top + (legendRows - 1) * LegendRowHeight;
        int height = top + PlotHeight + Bottom;
        var svg = new StringBuilder();
        svg.AppendLine(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Segoe UI, Helvetica, Arial, sans-serif\">"));
        svg.AppendLine(F($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>"));
        svg.AppendLine(F($"<text x=\"{Left}\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"#111827\">Calls per second by workload (higher is better)</text>"));
        svg.AppendLine(F($"<text x=\"{Left}\" y=\"48\" font-size=\"12\" fill=\"#4b5563\">{Escape($"{settings.Mode} mode, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores shared by client and server, loopback, one connection. On the bars: value and ratio to raw; under each panel: p50 in µs, in legend order")}</text>"));

        // Legend.
        int x = Left, y = 60;
        for (int c = 0; c < table.Contenders.Count; c++)
        {
            if (x > Left && x + LegendWidth(table.Contenders[c]) > Left + LegendRowWidth)
            {
                x = Left;
                y += LegendRowHeight;
            }
            svg.AppendLine(F($"<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{s_colors[c % s_colors.Length]}\"/>"));
            svg.AppendLine(F($"<text x=\"{x + 20}\" y=\"{y + 12}\" font-size=\"13\" fill=\"#111827\">{Escape(table.Contenders[c])}</text>"));
            x += LegendWidth(table.Contenders[c]);
        }

        for (int w = 0; w < workloads.Length; w++)
        {
            RenderPanel(svg, table, workloads[w], Left + w * (panelWidth + PanelGap), top, panelWidth);
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static int LegendWidth(string name) => 30 + 8 * name.Length;

    private static int LegendRows(IReadOnlyList<string> contenders)
    {
        int rows = 1, x = Left;
        foreach (string name in contenders)
        {
            if (x > Left && x + LegendWidth(name) > Left + LegendRowWidth)
            {
                x = Left;
                rows++;
            }
            x += LegendWidth(name);
        }
        return rows;
    }

    private static void RenderPanel(StringBuilder svg, ResultTable table, Workload workload, int left, int top, int panelWidth)
    {
        PhaseResult?[] results = table.Contenders.Select(c => table.Find(workload, c)).ToArray();
        double max = results.Where(r => r is { Status: PhaseStatus.Measured }).Select(r => r!.PerSecond).DefaultIfEmpty(1).Max();
        double axisMax = NiceCeiling(max * 1.12);
        int baseline = top + PlotHeight;

        // Axis and grid: five steps from zero.
        for (int i = 0; i <= 5; i++)
        {
            double value = axisMax * i / 5;
            double y = baseline - PlotHeight * i / 5.0;
            svg.AppendLine(F($"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{left + panelWidth}\" y2=\"{y:0.#}\" stroke=\"{(i == 0 ? "#374151" : "#e5e7eb")}\" stroke-width=\"1\"/>"));
            svg.AppendLine(F($"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" fill=\"#6b7280\" text-anchor=\"end\">{Short(value)}</text>"));
        }

        int slot = panelWidth / Math.Max(results.Length, 1);
        for (int c = 0; c < results.Length; c++)
        {
            double center = left + slot * c + slot / 2.0;
            double barLeft = center - BarWidth / 2.0;
            string color = s_colors[c % s_colors.Length];
            PhaseResult? result = results[c];
            if (result is { Status: PhaseStatus.Measured })
            {
                double barHeight = Math.Max(1, PlotHeight * result.PerSecond / axisMax);
                double barTop = baseline - barHeight;
                svg.AppendLine(F($"<rect x=\"{barLeft:0.#}\" y=\"{barTop:0.#}\" width=\"{BarWidth}\" height=\"{barHeight:0.#}\" fill=\"{color}\"><title>{Escape($"{result.Contender}: {result.PerSecond:N0}/s")}</title></rect>"));
                svg.AppendLine(F($"<text x=\"{center:0.#}\" y=\"{barTop - 20:0.#}\" font-size=\"12\" font-weight=\"bold\" fill=\"#111827\" text-anchor=\"middle\">{Short(result.PerSecond)}</text>"));
                double ratio = table.ThroughputRatio(result);
                svg.AppendLine(F($"<text x=\"{center:0.#}\" y=\"{barTop - 6:0.#}\" font-size=\"11\" fill=\"#4b5563\" text-anchor=\"middle\">{(double.IsNaN(ratio) ? "" : F($"{ratio:0.00}x"))}</text>"));
            }
            else
            {
                string why = result is null ? "not run" : result.Status == PhaseStatus.NotAvailable ? "n/a" : "failed";
                svg.AppendLine(F($"<rect x=\"{barLeft:0.#}\" y=\"{baseline - 60}\" width=\"{BarWidth}\" height=\"60\" fill=\"none\" stroke=\"{color}\" stroke-dasharray=\"4 3\"/>"));
                svg.AppendLine(F($"<text x=\"{center:0.#}\" y=\"{baseline - 26}\" font-size=\"12\" fill=\"{color}\" text-anchor=\"middle\">{why}</text>"));
            }
        }
        svg.AppendLine(F($"<text x=\"{left + panelWidth / 2}\" y=\"{baseline + 22}\" font-size=\"13\" font-weight=\"bold\" fill=\"#111827\" text-anchor=\"middle\">{Escape(workload.Title)}</text>"));
        if (!workload.IsStream && table.Find(workload, table.Floor) is { Status: PhaseStatus.Measured })
        {
            string p50 = string.Join(" / ", results.Select(r => r is { Status: PhaseStatus.Measured } ? F($"{r.P50Microseconds:0}") : "-"));
            svg.AppendLine(F($"<text x=\"{left + panelWidth / 2}\" y=\"{baseline + 40}\" font-size=\"11\" fill=\"#4b5563\" text-anchor=\"middle\">p50 µs: {p50}</text>"));
        }
    }

    // 1, 2 or 5 times a power of ten, at or above value.
    private static double NiceCeiling(double value)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(value, 1))));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static string Short(double value) => value switch
    {
        >= 1_000_000 => F($"{value / 1_000_000:0.##}M"),
        >= 10_000 => F($"{value / 1_000:0}k"),
        >= 1_000 => F($"{value / 1_000:0.#}k"),
        _ => F($"{value:0}"),
    };

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
