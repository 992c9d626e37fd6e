using System.Text.Json;
using System.Text.RegularExpressions;
using Federation.Testing;

namespace Infrastructure.Tests.Kubernetes;

/// <summary>deploy/topics.json is the one list of Kafka topics: the code's topics, the KafkaTopics rendered for Kubernetes, compose.yaml's.</summary>
public sealed partial class KafkaTopicListTests
{
    private static readonly IReadOnlyList<TopicEntry> TopicList = JsonDocument.Parse(File.ReadAllText(Path.Combine(Kustomize.DeployPath, "topics.json")))
        .RootElement.GetProperty("topics").EnumerateArray()
        .Select(t => new TopicEntry(
            t.GetProperty("name").GetString()!,
            t.GetProperty("partitions").GetInt32(),
            t.GetProperty("retentionMs").GetInt64(),
            t.GetProperty("cleanupPolicy").GetString()!,
            t.TryGetProperty("consumers", out var consumers) ? [.. consumers.EnumerateArray().Select(c => c.GetString()!).Order()] : []))
        .ToList();

    [Fact]
    public void TopicList_Should_NameEveryEventTopicItsConsumersAndTheirDeadLetterTopics_When_ComparedWithTheCode()
    {
        // arrange
        var eventTopics = Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "schema", "events")).Select(Path.GetFileName).Order().ToList();
        var consumed = ConsumedTopicsInCode();

        // act
        var listed = TopicList.Where(t => !t.Name.Contains(".dlq.", StringComparison.Ordinal)).ToList();
        var deadLetters = TopicList.Where(t => t.Name.Contains(".dlq.", StringComparison.Ordinal)).Select(t => t.Name).Order();

        // assert
        Assert.Equal(eventTopics, listed.Select(t => t.Name).Order());
        Assert.Equal(TopicList.Count, TopicList.Select(t => t.Name).Distinct().Count());
        foreach (var topic in listed)
        {
            Assert.Equal(consumed.Where(c => c.Topic == topic.Name).Select(c => c.Service).Order(), topic.Consumers);
        }

        // MessagingOptions.DeadLetterTopic: one dead-letter topic per consumed topic and consuming service.
        Assert.Equal(consumed.Select(c => $"{c.Topic}.dlq.{c.Service}").Order(), deadLetters);
        Assert.All(TopicList, t => Assert.True(t.Partitions > 0 && t.RetentionMs > 0 && t.CleanupPolicy is "delete" or "compact" or "compact,delete", t.Name));
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task KafkaTopics_Should_MatchTheTopicList_When_Rendered(string overlay)
    {
        // arrange
        var rendered = await Kustomize.RenderAsync(overlay);

        // act
        var topics = rendered.OfKind("KafkaTopic").Select(t => new TopicEntry(
            t.Text("spec", "topicName") ?? t.Text("metadata", "name")!,
            t.At("spec", "partitions").GetInt32(),
            t.At("spec", "config", "retention.ms").GetInt64(),
            t.Text("spec", "config", "cleanup.policy")!,
            [])).OrderBy(t => t.Name, StringComparer.Ordinal);

        // assert
        Assert.Equal(TopicList.Select(t => t with { Consumers = [] }).OrderBy(t => t.Name, StringComparer.Ordinal), topics);
    }

    [Theory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task SubgraphAutoscalers_Should_StopAtThePartitionCount_When_TheServiceConsumesTopics(string overlay)
    {
        // arrange
        var rendered = await Kustomize.RenderAsync(overlay);

        foreach (var topic in TopicList.Where(t => t.Consumers.Count > 0))
        {
            foreach (var service in topic.Consumers)
            {
                // act
                var autoscaler = rendered.OfKind("HorizontalPodAutoscaler").Single(h => h.Text("spec", "scaleTargetRef", "name") == service);

                // assert: a consumer group gives each partition to one member; replicas past that only idle.
                var maxReplicas = autoscaler.At("spec", "maxReplicas").GetInt32();
                Assert.True(maxReplicas <= topic.Partitions, $"{service} scales to {maxReplicas} replicas, but {topic.Name} has {topic.Partitions} partitions");
            }
        }
    }

    [Fact]
    public void ComposeTopics_Should_MatchTheTopicList_When_ComposeCreatesThem()
    {
        // arrange
        var compose = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "compose.yaml"));

        // act: compose.yaml's kafka-topics service runs one `create <name> <partitions> <retention.ms> <cleanup.policy>` each.
        var created = ComposeTopicLine().Matches(compose)
            .Select(m => new TopicEntry(m.Groups["name"].Value, int.Parse(m.Groups["partitions"].Value), long.Parse(m.Groups["retention"].Value), m.Groups["cleanup"].Value, []))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

        // assert
        Assert.Equal(TopicList.Select(t => t with { Consumers = [] }).OrderBy(t => t.Name, StringComparer.Ordinal), created);
        Assert.Contains("KAFKA_AUTO_CREATE_TOPICS_ENABLE: \"false\"", compose, StringComparison.Ordinal);
    }

    /// <summary>(topic, service) for every constant in a service's <c>ConsumedTopics</c> class under subgraphs/*/Events.</summary>
    private static List<(string Topic, string Service)> ConsumedTopicsInCode()
    {
        var consumed = new List<(string, string)>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "subgraphs")))
        {
            var events = Path.Combine(folder, "Events");
            if (!Directory.Exists(events))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(events, "*.cs"))
            {
                var body = ConsumedTopicsClass().Match(File.ReadAllText(file));
                if (body.Success)
                {
                    consumed.AddRange(TopicConstant().Matches(body.Groups["body"].Value).Select(m => (m.Groups["topic"].Value, Path.GetFileName(folder).ToLowerInvariant())));
                }
            }
        }

        Assert.NotEmpty(consumed);
        return consumed;
    }

    [GeneratedRegex(@"^ +create (?<name>[a-z0-9.]+) (?<partitions>[0-9]+) (?<retention>[0-9]+) (?<cleanup>[a-z,]+)$", RegexOptions.Multiline)]
    private static partial Regex ComposeTopicLine();

    [GeneratedRegex(@"class ConsumedTopics\s*\{(?<body>[^}]*)\}")]
    private static partial Regex ConsumedTopicsClass();

    [GeneratedRegex("""const string \w+ = "(?<topic>[a-z0-9.]+)";""")]
    private static partial Regex TopicConstant();

    private sealed record TopicEntry(string Name, int Partitions, long RetentionMs, string CleanupPolicy, IReadOnlyList<string> Consumers)
    {
        public bool Equals(TopicEntry? other) =>
            other is not null && Name == other.Name && Partitions == other.Partitions && RetentionMs == other.RetentionMs
            && CleanupPolicy == other.CleanupPolicy && Consumers.SequenceEqual(other.Consumers);

        public override int GetHashCode() => HashCode.Combine(Name, Partitions, RetentionMs, CleanupPolicy);
    }
}
