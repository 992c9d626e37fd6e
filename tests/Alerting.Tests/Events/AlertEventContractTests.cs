using Alerting.Data;
using Alerting.Events;
using Federation.Subgraph.Messaging.Events;
using Federation.Testing;

namespace Alerting.Tests.Events;

/// <summary>
/// The committed JSON Schemas of alerting.alert.v1 are the contract the gateway's alertRaised/alertUpdated read; these fail
/// when a record drifts from its file. After an intended, compatible change run with FEDERATION_UPDATE_EVENT_CONTRACTS=1 and commit.
/// </summary>
public sealed class AlertEventContractTests
{
    private static readonly Alert Sample = new()
    {
        Id = 17,
        RuleId = "payment-failure-rate",
        Subject = "payments",
        Severity = AlertSeverity.Critical,
        Status = AlertStatus.Resolved,
        Summary = "Payment failure rate 60% over the last 5 minutes (threshold 30%)",
        Value = 0.6,
        Threshold = 0.3,
        RaisedAt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero),
        AcknowledgedAt = new DateTimeOffset(2026, 11, 30, 12, 1, 0, TimeSpan.Zero),
        AcknowledgedBy = 2,
        ResolvedAt = new DateTimeOffset(2026, 11, 30, 12, 4, 30, TimeSpan.Zero),
    };

    [Fact]
    public void AlertRaised_Should_MatchCommittedSchema_When_GeneratedFromRecord() => AssertCommitted(AlertRaised.From(Sample));

    [Fact]
    public void AlertAcknowledged_Should_MatchCommittedSchema_When_GeneratedFromRecord() => AssertCommitted(AlertAcknowledged.From(Sample));

    [Fact]
    public void AlertResolved_Should_MatchCommittedSchema_When_GeneratedFromRecord() => AssertCommitted(AlertResolved.From(Sample));

    private static void AssertCommitted<TEvent>(TEvent sample)
        where TEvent : IIntegrationEvent
    {
        // arrange
        var generated = EventContract.Generate(AlertingTopics.Alert, sample);

        // act
        var committed = ContractFiles.ReadOrUpdate(Path.Combine(RepositoryPaths.Root, EventContract.RelativePath<TEvent>(AlertingTopics.Alert)), generated);

        // assert
        Assert.Equal(committed, generated);
    }
}
