using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Snapshooter;

namespace Federation.Gateway.Tests.Corpus;

/// <summary>
/// The operation corpus (<c>operations/*.graphql</c>, variables in a <c>.json</c> beside) against our seven running
/// subgraphs: our gateway must give byte-identical <c>data</c> and the same error paths as Apollo Gateway, and each
/// response is snapshotted so a behaviour change shows up as a diff.
/// </summary>
[Collection(CorpusCollection.Name)]
public sealed class CorpusTests(CorpusFixture corpus, Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Values a gateway run creates afresh (tokens, timestamps of new rows); both answers carry them, masked.</summary>
    private static readonly HashSet<string> Generated = new(StringComparer.Ordinal) { "token", "expiresAt" };

    private static string Directory => Path.Combine(AppContext.BaseDirectory, "operations");

    public static TheoryData<string> Operations() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.graphql").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Corpus_Should_HoldAtLeastEightyOperations_When_Counted()
    {
        // act
        var count = Operations().Count;

        // assert
        Assert.True(count >= 80, $"{count} operations");
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Gateway_Should_AnswerLikeApolloGateway_When_RunningCorpusOperation(string name)
    {
        // arrange
        var query = await File.ReadAllTextAsync(Path.Combine(Directory, name + ".graphql"));
        var variablesFile = Path.Combine(Directory, name + ".json");
        var variables = File.Exists(variablesFile) ? JsonNode.Parse(await File.ReadAllTextAsync(variablesFile))!.AsObject() : null;

        // act
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ours = Mask(await corpus.OursAsync(query, (JsonObject?)variables?.DeepClone()));
        var oursTime = clock.Elapsed;
        clock.Restart();
        var theirs = Mask(await corpus.ApolloAsync(query, variables));
        output.WriteLine($"latency {name}: ours {oursTime.TotalMilliseconds:0.0} ms, apollo {clock.Elapsed.TotalMilliseconds:0.0} ms");

        // assert
        Assert.True(theirs.ContainsKey("data") || theirs.ContainsKey("errors"), theirs.ToJsonString());
        Assert.Equal(theirs["data"]?.ToJsonString(), ours["data"]?.ToJsonString());
        Assert.Equal(ErrorPaths(theirs), ErrorPaths(ours));
        ours.ToSnapshot().MatchSnapshot(SnapshotNameExtension.Create(name));
    }

    /// <summary>Corpus operations that select protected fields, run without a token: only ours enforces the directives.</summary>
    public static TheoryData<string> ProtectedOperations() =>
    [
        "root-users", "dashboard-stats-window", "dashboard-payment-failures-orders", "entity-user-orders-payment", "root-order-by-id",
        "mutation-adjust-stock-unknown", "mutation-update-product-invalid", "entity-user-notifications-unread",
    ];

    [Theory]
    [MemberData(nameof(ProtectedOperations))]
    public async Task Gateway_Should_AnswerProtectedFieldsWithUnauthorizedErrors_When_CallerIsAnonymous(string name)
    {
        // arrange
        var query = await File.ReadAllTextAsync(Path.Combine(Directory, name + ".graphql"));
        var variablesFile = Path.Combine(Directory, name + ".json");
        var variables = File.Exists(variablesFile) ? JsonNode.Parse(await File.ReadAllTextAsync(variablesFile))!.AsObject() : null;

        // act
        var anonymous = Mask(await corpus.AnonymousAsync(query, variables));

        // assert
        var codes = (anonymous["errors"]?.AsArray() ?? []).Select(e => e?["extensions"]?["code"]?.GetValue<string>()).ToList();
        Assert.Contains("UNAUTHORIZED_FIELD_OR_TYPE", codes);
        anonymous.ToSnapshot().MatchSnapshot(SnapshotNameExtension.Create(name, "anonymous"));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Plan_Should_MatchSnapshot_When_PlanningCorpusOperation(string name)
    {
        // arrange
        var query = await File.ReadAllTextAsync(Path.Combine(Directory, name + ".graphql"));
        var variablesFile = Path.Combine(Directory, name + ".json");
        var variables = File.Exists(variablesFile) ? JsonNode.Parse(await File.ReadAllTextAsync(variablesFile))!.AsObject() : null;

        // act
        JsonNode plan;
        try
        {
            plan = corpus.Engine.Plan(query, null, variables).ToJson();
        }
        catch (Exception e) when (e is Federation.Gateway.Planning.PlanningException or GraphQLParser.Exceptions.GraphQLParserException)
        {
            // Operations the gateway rejects before planning (syntax, unknown fields, several operations) plan to nothing.
            plan = new JsonObject { ["rejected"] = e.GetType().Name };
        }

        // assert
        plan.ToSnapshot().MatchSnapshot(SnapshotNameExtension.Create(name));
    }

    private static string[] ErrorPaths(JsonObject response) =>
        [.. (response["errors"]?.AsArray() ?? []).Select(e => e?["path"]?.ToJsonString() ?? "<none>").Order(StringComparer.Ordinal)];

    private static JsonObject Mask(JsonObject response)
    {
        Visit(response);
        return response;

        static void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).ToList())
                    {
                        if (Generated.Contains(key) && o[key] is JsonValue)
                        {
                            o[key] = "<generated>";
                        }
                        else
                        {
                            Visit(o[key]);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Visit(item);
                    }

                    break;
            }
        }
    }
}
