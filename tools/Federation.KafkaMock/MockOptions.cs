using System.Globalization;
using System.Text.Json;

namespace Federation.KafkaMock;

internal sealed record TopicSpec(string Name, int Partitions);

internal sealed record MockOptions(
    int Brokers,
    IReadOnlyList<TopicSpec> Topics,
    bool ExitOnStdinEof,
    int Port,
    int GroupInitialRebalanceDelayMs)
{
    public const string Usage = """
        Federation.KafkaMock: a Kafka-protocol broker for local runs and tests (librdkafka's mock cluster).
        Prints the bootstrap servers as the first line of stdout, then runs until SIGTERM/SIGINT.

          --brokers N                          number of brokers (default 1)
          --topic NAME[:PARTITIONS]            create a topic up front (repeatable; default 1 partition);
                                               other topics are created on first use with 4 partitions
          --topics-file PATH                   create every topic of a topic list up front with its partitions
                                               ({"topics": [{"name": ..., "partitions": ...}]}, deploy/topics.json;
                                               the mock keeps no retention or cleanup policy)
          --port P                             serve broker 1 on port P, broker 2 on P+1, ... (default: random ports)
          --group-initial-rebalance-delay-ms N delay before a new group's first rebalance (default 0;
                                               librdkafka's mock and Kafka use 3000)
          --exit-on-stdin-eof                  also stop when standard input closes (the parent went away)
        """;

    public static MockOptions Parse(IReadOnlyList<string> args)
    {
        var brokers = 1;
        var topics = new List<TopicSpec>();
        var exitOnStdinEof = false;
        var port = 0;
        // librdkafka's mock holds the first JoinGroup 3 s by default, longer than a short session.timeout.ms,
        // and such a consumer then never gets partitions; local runs want partitions at once anyway.
        var rebalanceDelay = 0;

        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--brokers":
                    brokers = ParseInt(args, ref i, 1, 16);
                    break;
                case "--topic":
                    topics.Add(ParseTopic(Value(args, ref i)));
                    break;
                case "--topics-file":
                    topics.AddRange(ReadTopicList(Value(args, ref i)));
                    break;
                case "--port":
                    port = ParseInt(args, ref i, 0, 65535);
                    break;
                case "--group-initial-rebalance-delay-ms":
                    rebalanceDelay = ParseInt(args, ref i, 0, 300_000);
                    break;
                case "--exit-on-stdin-eof":
                    exitOnStdinEof = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        if (port > 0 && port + brokers - 1 > 65535)
        {
            throw new ArgumentException("--port leaves no room for every broker.");
        }

        return new MockOptions(brokers, topics, exitOnStdinEof, port, rebalanceDelay);
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int ParseInt(IReadOnlyList<string> args, ref int i, int min, int max)
    {
        var name = args[i];
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be an integer from {min} to {max}, not '{text}'.");
    }

    private static IEnumerable<TopicSpec> ReadTopicList(string path)
    {
        JsonElement list;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            list = document.RootElement.GetProperty("topics").Clone();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ArgumentException($"--topics-file {path}: {exception.Message}");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException($"--topics-file {path}: \"topics\" must be an array.");
        }

        return list.EnumerateArray().Select(entry =>
            entry.ValueKind == JsonValueKind.Object
            && entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } text
            && entry.TryGetProperty("partitions", out var partitions) && partitions.ValueKind == JsonValueKind.Number && partitions.TryGetInt32(out var count) && count is > 0 and <= 1000
                ? new TopicSpec(text, count)
                : throw new ArgumentException($"--topics-file {path}: every topic needs a name and 1 to 1000 partitions, not {entry.GetRawText()}.")).ToList();
    }

    private static TopicSpec ParseTopic(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0)
        {
            throw new ArgumentException($"--topic expects NAME[:PARTITIONS], not '{text}'.");
        }

        if (parts.Length == 1)
        {
            return new TopicSpec(parts[0], 1);
        }

        return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partitions) && partitions is > 0 and <= 1000
            ? new TopicSpec(parts[0], partitions)
            : throw new ArgumentException($"Partitions of topic '{parts[0]}' must be an integer from 1 to 1000, not '{parts[1]}'.");
    }
}
