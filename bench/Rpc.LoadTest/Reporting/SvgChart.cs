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
    private const int PanelWidth = 230;
    private const int PanelGap = 56;
    private const int Left = 60;
    private const int Top = 92;
    private const int PlotHeight = 260;
    private const int Bottom = 70;
    private const int BarWidth = 48;

    private static readonly string[] s_colors = ["#2563eb", "#f59e0b", "#6b7280", "#10b981", "#ef4444"];

    public static string Render(ResultTable table, RunSettings settings)
    {
        Workload[] workloads = table.Workloads.ToArray();
        int width = Left + workloads.Length * (PanelWidth + PanelGap) + 10;
        int height = Top + PlotHeight + Bottom;
        var svg = new StringBuilder();
        svg.AppendLine(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Segoe UI, Helvetica, Arial, sans-serif\">"));
        svg.AppendLine(F($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>"));
        svg.AppendLine(F($"<text x=\"{Left}\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"#111827\">Calls per second by workload (higher is better)</text>"));
        svg.AppendLine(F($"<text x=\"{Left}\" y=\"48\" font-size=\"12\" fill=\"#4b5563\">{Escape($"{settings.Mode} mode, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores shared by client and server, loopback, one connection. On the bars: value and ratio to raw; under each panel: p50 in µs, in legend order")}</text>"));

        // Legend.
        int x = Left;
        for (int c = 0; c < table.Contenders.Count; c++)
        {
            svg.AppendLine(F($"<rect x=\"{x}\" y=\"60\" width=\"14\" height=\"14\" fill=\"{s_colors[c % s_colors.Length]}\"/>"));
            svg.AppendLine(F($"<text x=\"{x + 20}\" y=\"72\" font-size=\"13\" fill=\"#111827\">{Escape(table.Contenders[c])}</text>"));
            x += 30 + 8 * table.Contenders[c].Length;
        }

        for (int w = 0; w < workloads.Length; w++)
        {
            RenderPanel(svg, table, workloads[w], Left + w * (PanelWidth + PanelGap));
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void RenderPanel(StringBuilder svg, ResultTable table, Workload workload, int left)
    {
        PhaseResult?[] results = table.Contenders.Select(c => table.Find(workload, c)).ToArray();
        double max = results.Where(r => r is { Status: PhaseStatus.Measured }).Select(r => r!.PerSecond).DefaultIfEmpty(1).Max();
        double axisMax = NiceCeiling(max * 1.12);
        int baseline = Top + PlotHeight;

        // Axis and grid: five steps from zero.
        for (int i = 0; i <= 5; i++)
        {
            double value = axisMax * i / 5;
            double y = baseline - PlotHeight * i / 5.0;
            svg.AppendLine(F($"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{left + PanelWidth}\" y2=\"{y:0.#}\" stroke=\"{(i == 0 ? "#374151" : "#e5e7eb")}\" stroke-width=\"1\"/>"));
            svg.AppendLine(F($"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" font-size=\"11\" fill=\"#6b7280\" text-anchor=\"end\">{Short(value)}</text>"));
        }

        int slot = PanelWidth / Math.Max(results.Length, 1);
        for (int c = 0; c < results.Length; c++)
        {
            double center = left + slot * c + slot / 2.0;
            double barLeft = center - BarWidth / 2.0;
            string color = s_colors[c % s_colors.Length];
            PhaseResult? result = results[c];
            if (result is { Status: PhaseStatus.Measured })
            {
                double barHeight = Math.Max(1, PlotHeight * result.PerSecond / axisMax);
                double top = baseline - barHeight;
                svg.AppendLine(F($"<rect x=\"{barLeft:0.#}\" y=\"{top:0.#}\" width=\"{BarWidth}\" height=\"{barHeight:0.#}\" fill=\"{color}\"><title>{Escape($"{result.Contender}: {result.PerSecond:N0}/s")}</title></rect>"));
                svg.AppendLine(F($"<text x=\"{center:0.#}\" y=\"{top - 20:0.#}\" font-size=\"12\" font-weight=\"bold\" fill=\"#111827\" text-anchor=\"middle\">{Short(result.PerSecond)}</text>"));
                double ratio = table.ThroughputRatio(result);
                svg.AppendLine(F($"<text x=\"{center:0.#}\" y=\"{top - 6:0.#}\" font-size=\"11\" fill=\"#4b5563\" text-anchor=\"middle\">{(double.IsNaN(ratio) ? "" : F($"{ratio:0.00}x"))}</text>"));
            }
            else
            {
                string why = result is null ? "not run" : result.Status == PhaseStatus.NotAvailable ? "n/a" : "failed";
                svg.AppendLine(F($"<rect x=\"{barLeft:0.#}\" y=\"{baseline - 60}\" width=\"{BarWidth}\" height=\"60\" fill=\"none\" stroke=\"{color}\" stroke-dasharray=\"4 3\"/>"));
                svg.AppendLine(F($"<text x=\"{center:0.#}\" y=\"{baseline - 26}\" font-size=\"12\" fill=\"{color}\" text-anchor=\"middle\">{why}</text>"));
            }
        }
        svg.AppendLine(F($"<text x=\"{left + PanelWidth / 2}\" y=\"{baseline + 22}\" font-size=\"13\" font-weight=\"bold\" fill=\"#111827\" text-anchor=\"middle\">{Escape(workload.Title)}</text>"));
        if (!workload.IsStream && table.Find(workload, table.Floor) is { Status: PhaseStatus.Measured })
        {
            string p50 = string.Join(" / ", results.Select(r => r is { Status: PhaseStatus.Measured } ? F($"{r.P50Microseconds:0}") : "-"));
            svg.AppendLine(F($"<text x=\"{left + PanelWidth / 2}\" y=\"{baseline + 40}\" font-size=\"11\" fill=\"#4b5563\" text-anchor=\"middle\">p50 µs: {p50}</text>"));
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
