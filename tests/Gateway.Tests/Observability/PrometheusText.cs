using System.Globalization;
using System.Text.RegularExpressions;

namespace Federation.Gateway.Tests.Observability;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4): every line is a comment, a <c># HELP</c>/<c># TYPE</c>
/// line or one sample, and a sample's labels are <c>name="value"</c> pairs; anything else fails the parse.
/// </summary>
public static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var type = TypeLine().Match(line);
                if (type.Success)
                {
                    Assert.True(types.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"Two TYPE lines for {type.Groups[1].Value}");
                }
                else
                {
                    Assert.Matches(HelpOrComment(), line);
                }

                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"Not a Prometheus sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (sample.Groups[2].Success)
            {
                var rest = sample.Groups[2].Value;
                var matches = LabelPair().Matches(rest);
                Assert.Equal(rest, string.Concat(matches.Select(m => m.Value)));
                foreach (Match pair in matches)
                {
                    labels.Add(pair.Groups[1].Value, Regex.Unescape(pair.Groups[2].Value));
                }
            }

            var value = sample.Groups[3].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(sample.Groups[1].Value, labels, value));
        }

        return samples;
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^#( HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*| EOF|( .*)?)$")]
    private static partial Regex HelpOrComment();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)"",?")]
    private static partial Regex LabelPair();
}
