using System.Diagnostics;
using Xunit.Abstractions;

namespace Messaging.Tests;

[Collection(ProcessCollection.Name)]
public sealed class OutboxRelayTests(MessagingFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Relay_Should_PublishCommittedRows_When_PublisherWasKilledBeforePublishing()
    {
        // arrange
        var database = await fixture.CreateDatabaseAsync("relay_before");
        var topic = $"probe.ledger.{Guid.NewGuid():N}";
        await using (var publisher = Probe.Start("publish", database, fixture.Kafka.BootstrapServers, "--topic", topic, "--count", "200", "--accounts", "7", "--relay", "false"))
        {
            await publisher.WaitForLineAsync("committed 200");
            publisher.Kill();
        }
        var committed = await Ledger.OutboxAsync(database);

        // act
        await using var relay = Probe.Start("relay", database, fixture.Kafka.BootstrapServers);
        await relay.WaitForLineAsync("drained");
        var records = TopicReader.ReadAll(fixture.Kafka.BootstrapServers, topic, committed.Count, TimeSpan.FromSeconds(30));

        // assert
        Assert.Equal(200, committed.Count);
        Assert.DoesNotContain(committed, row => row.Sent);
        Assert.Equal(committed.Select(row => row.EventId).Order(), records.Select(r => r.Envelope.Id).Order());
        AssertKeyOrder(committed, records);
        Assert.All(records, r => Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", r.Headers["traceparent"]));
        Assert.All(records, r => Assert.Equal(("probe", "LedgerEntryPosted", 1, r.Key), (r.Envelope.Source, r.Envelope.Type, r.Envelope.SchemaVersion, r.Envelope.Subject)));
        Assert.All(await Ledger.OutboxAsync(database), row => Assert.True(row.Sent));
    }

    [Fact]
    public async Task Relay_Should_PublishEveryCommittedRowInKeyOrder_When_PublisherIsKilledMidStream()
    {
        // arrange
        var database = await fixture.CreateDatabaseAsync("relay_mid");
        var topic = $"probe.ledger.{Guid.NewGuid():N}";
        await using (var publisher = Probe.Start("publish", database, fixture.Kafka.BootstrapServers, "--topic", topic, "--count", "2000", "--accounts", "13", "--batch", "10"))
        {
            await publisher.WaitForLineAsync("committed 600");
            publisher.Kill();
        }
        var committed = await Ledger.OutboxAsync(database);
        var unsentAtKill = committed.Count(row => !row.Sent);

        // act
        var clock = Stopwatch.StartNew();
        await using var relay = Probe.Start("relay", database, fixture.Kafka.BootstrapServers);
        await relay.WaitForLineAsync("drained");
        clock.Stop();
        var records = TopicReader.ReadAll(fixture.Kafka.BootstrapServers, topic, committed.Count, TimeSpan.FromSeconds(30));

        // assert
        output.WriteLine($"committed {committed.Count}, unsent at SIGKILL {unsentAtKill}, relay restart to drained {clock.ElapsedMilliseconds} ms, records on topic {records.Count}");
        Assert.InRange(committed.Count, 600, 2000);
        // At least once: nothing committed is missing and nothing uncommitted appears; a row in flight at the kill may appear twice.
        Assert.Equal(committed.Select(row => row.EventId).Order(), records.Select(r => r.Envelope.Id).Distinct().Order());
        AssertKeyOrder(committed, records);
    }

    [Fact]
    public async Task Relays_Should_PublishEveryRowOnceInKeyOrder_When_TwoServiceReplicasShareOneOutbox()
    {
        // arrange: two replicas of one service, each committing rows and running its relay, on one database.
        var database = await fixture.CreateDatabaseAsync("relay_replicas");
        var topic = $"probe.ledger.{Guid.NewGuid():N}";
        string[] shared = ["--topic", topic, "--count", "1500", "--accounts", "11", "--batch", "5", "--pause-ms", "2"];

        // act
        await using var first = Probe.Start("publish", database, fixture.Kafka.BootstrapServers, [.. shared, "--prefix", "first"]);
        await first.WaitForLineAsync("committed 5");
        await using var second = Probe.Start("publish", database, fixture.Kafka.BootstrapServers, [.. shared, "--prefix", "second"]);
        await Task.WhenAll(first.WaitForLineAsync("drained"), second.WaitForLineAsync("drained"));
        var committed = await Ledger.OutboxAsync(database);
        var records = TopicReader.ReadAll(fixture.Kafka.BootstrapServers, topic, committed.Count, TimeSpan.FromSeconds(30));

        // assert
        output.WriteLine($"committed {committed.Count}, records on topic {records.Count}, published by the first relay {first.LastStatus().Published}, by the second {second.LastStatus().Published}");
        Assert.Equal(3000, committed.Count);
        Assert.All(committed, row => Assert.True(row.Sent));
        // Nobody was killed, so at least once is exactly once here: two relays never publish one row twice.
        Assert.Equal(committed.Select(row => row.EventId).Order(), records.Select(r => r.Envelope.Id).Order());
        AssertKeyOrder(committed, records);
    }

    /// <summary>Per key, first appearances on the topic follow commit order.</summary>
    private static void AssertKeyOrder(List<Ledger.OutboxRow> committed, List<TopicReader.Record> records)
    {
        var commitOrder = committed.ToDictionary(row => row.EventId, row => row.Sequence);
        foreach (var key in records.GroupBy(r => r.Key))
        {
            var firsts = key.OrderBy(r => r.Offset).Select(r => r.Envelope.Id).Distinct().Select(id => commitOrder[id]).ToList();
            Assert.Equal(firsts.Order(), firsts);
            Assert.Single(key.Select(r => r.Partition).Distinct());
        }
    }
}
