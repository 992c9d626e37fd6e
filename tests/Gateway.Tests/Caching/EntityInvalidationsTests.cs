using System.Text.Json.Nodes;
using Federation.Gateway.Host.EntityCache;
using Federation.Gateway.Tests.Fixtures;

namespace Federation.Gateway.Tests.Caching;

/// <summary>The event-to-entity mapping against the committed event contracts in schema/events/.</summary>
public sealed class EntityInvalidationsTests
{
    private static readonly string Events = Path.Combine(Repository.Root, "schema", "events");

    [Fact]
    public void Mapping_Should_NameARequiredIntegerOrStringKey_When_ReadAgainstTheEventContracts()
    {
        // arrange
        var failures = new List<string>();

        // act
        foreach (var (eventType, mapping) in EntityInvalidations.ByEventType)
        {
            var file = Path.Combine(Events, mapping.Topic, eventType + ".v1.json");
            if (!File.Exists(file))
            {
                failures.Add($"{eventType}: no contract {file}");
                continue;
            }

            var contract = JsonNode.Parse(File.ReadAllText(file))!;
            var required = contract["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var entity in mapping.Entities)
            {
                var type = contract["properties"]?[entity.KeyProperty]?["type"]?.GetValue<string>();
                if (!required.Contains(entity.KeyProperty) || type is not ("integer" or "string"))
                {
                    failures.Add($"{eventType} -> {entity.Subgraph} {entity.TypeName}: {entity.KeyProperty} is not a required integer or string (type {type ?? "missing"})");
                }
            }
        }

        // assert
        Assert.Empty(failures);
    }

    [Fact]
    public void Mapping_Should_DecideEveryEventType_When_ItsTopicIsConsumed()
    {
        // arrange
        var published = EntityInvalidations.Topics
            .SelectMany(topic => Directory.GetFiles(Path.Combine(Events, topic), "*.json"))
            .Select(file => Path.GetFileName(file).Split('.')[0])
            .Order(StringComparer.Ordinal)
            .ToList();

        // act
        var undecided = published.Where(e => !EntityInvalidations.ByEventType.ContainsKey(e) && !EntityInvalidations.Unmapped.ContainsKey(e)).ToList();
        var unknown = EntityInvalidations.Unmapped.Keys.Where(e => !published.Contains(e)).ToList();

        // assert
        Assert.Empty(undecided);
        Assert.Empty(unknown);
        Assert.Equal(["catalog.product.v1", "inventory.stock.v1", "reviews.review.v1"], EntityInvalidations.Topics);
    }

    [Fact]
    public void Mapping_Should_InvalidateEveryTypeTheGatewayCachesByDefault_When_ReadAgainstAppsettings()
    {
        // arrange
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "gateway", "Gateway", "appsettings.json")))!;
        var declared = settings["EntityCache"]!["Subgraphs"]!.AsObject()
            .SelectMany(s => s.Value!["Types"]!.AsObject().Select(t => (Subgraph: s.Key, TypeName: t.Key)))
            .ToList();

        // act
        var invalidated = EntityInvalidations.ByEventType.Values.SelectMany(m => m.Entities).Select(e => (e.Subgraph, e.TypeName)).ToHashSet();

        // assert
        Assert.NotEmpty(declared);
        Assert.All(declared, d => Assert.Contains(d, invalidated));
    }
}
