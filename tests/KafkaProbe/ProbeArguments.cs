using System.Globalization;

namespace KafkaProbe;

/// <summary>Parses <c>--name value</c> pairs; every option is required unless read with a default.</summary>
internal sealed class ProbeArguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public ProbeArguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }
    }

    public string Text(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public int Number(string name, int fallback) =>
        !values.TryGetValue(name, out var value) ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
        : throw new ArgumentException($"--{name} must be a non-negative integer, not '{value}'.");
}
