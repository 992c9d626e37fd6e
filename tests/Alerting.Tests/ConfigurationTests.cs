using System.Text.Json;
using Alerting.Data;
using Alerting.Rules;
using Federation.Testing;
using Microsoft.Extensions.Configuration;

namespace Alerting.Tests;

/// <summary>The shipped appsettings.json: valid rules, and the topic and group lists kept equal to deploy/topics.json.</summary>
public sealed class ConfigurationTests
{
    private static readonly AlertingOptions Shipped = AlertingOptions.From(new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(RepositoryPaths.Root, "subgraphs", "Alerting", "appsettings.json"))
        .Build());

    private static readonly JsonElement Topics = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "topics.json"))).RootElement.GetProperty("topics");

    [Fact]
    public void DeadLetterTopics_Should_BeEveryDeadLetterTopicOfTheTopicList_When_Shipped()
    {
        // act
        var listed = Topics.EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Where(n => n.Contains(".dlq.", StringComparison.Ordinal)).Order();

        // assert
        Assert.Equal(listed, Shipped.DeadLetterTopics.Order());
    }

    [Fact]
    public void ConsumerLagGroups_Should_BeEveryConsumingService_When_Shipped()
    {
        // act
        var consumers = Topics.EnumerateArray()
            .SelectMany(t => t.TryGetProperty("consumers", out var c) ? c.EnumerateArray().Select(s => s.GetString()!) : [])
            .Distinct().Order();

        // assert
        Assert.Equal(consumers, Shipped.ConsumerLag.Groups.Order());
    }

    [Fact]
    public void Rules_Should_CoverEveryRuleKind_When_Shipped()
    {
        // act
        var rules = Shipped.Rules.Select(r => r.Value.ToRule(r.Key)).ToDictionary(r => r.Id);

        // assert
        Assert.Equal(
            [Signals.ConsumerLag, Signals.DeadLetter, Signals.OrderRejected, Signals.PaymentDeclined, Signals.StockAvailable],
            rules.Values.Select(r => r.Signal).Order());
        var payment = rules["payment-failure-rate"];
        Assert.Equal((RuleAggregate.Mean, RuleComparison.Above, 0.3, TimeSpan.FromMinutes(5), 5, AlertSeverity.Critical, true),
            (payment.Aggregate, payment.Comparison, payment.Threshold, payment.Window, payment.MinSamples, payment.Severity, payment.Enabled));
    }

    [Fact]
    public void ToRule_Should_NameTheKey_When_TheThresholdIsMissing()
    {
        // arrange
        var settings = new RuleSettings { Signal = Signals.PaymentDeclined };

        // act
        var error = Assert.Throws<InvalidOperationException>(() => settings.ToRule("my-rule"));

        // assert
        Assert.Equal("Alerting:Rules:my-rule:Threshold is required and must be a number.", error.Message);
    }

    [Fact]
    public void Configuration_Should_OverrideOneProperty_When_AnEnvironmentVariableNamesIt()
    {
        // arrange
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, "subgraphs", "Alerting", "appsettings.json"))
            .AddInMemoryCollection([new("Alerting:Rules:payment-failure-rate:Threshold", "0.5"), new("Alerting:Rules:payment-failure-rate:Window", "00:01:00")])
            .Build();

        // act
        var rule = AlertingOptions.From(configuration).Rules["payment-failure-rate"].ToRule("payment-failure-rate");

        // assert
        Assert.Equal((0.5, TimeSpan.FromMinutes(1), 5), (rule.Threshold, rule.Window, rule.MinSamples));
    }
}
