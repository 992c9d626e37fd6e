using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Federation.Subgraph.Messaging;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Federation.Subgraph.Messaging.Hosting;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Messaging.Tests;

/// <summary>The building blocks without I/O: envelope, outbox staging, model and registration.</summary>
public sealed class BuildingBlockTests
{
    [Fact]
    public void Envelope_Should_RoundTripEveryField_When_SerializedAndParsed()
    {
        // arrange
        var data = JsonSerializer.SerializeToElement(new ThingHappened(42, "x"), EventJson.Options);
        var envelope = new EventEnvelope(Guid.CreateVersion7(), "ThingHappened", "tests", DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "42", 1, data);

        // act
        var bytes = envelope.ToUtf8Bytes();
        var parsed = EventEnvelope.Parse(bytes);

        // assert
        Assert.Equal(
            """{"id":"ID","type":"ThingHappened","source":"tests","occurredAt":"2026-11-25T10:00:00+00:00","subject":"42","schemaVersion":1,"data":{"thingId":42,"label":"x"}}""",
            Encoding.UTF8.GetString(bytes).Replace(envelope.Id.ToString(), "ID", StringComparison.Ordinal).Replace("\\u002B", "+", StringComparison.Ordinal));
        Assert.Equal((envelope.Id, envelope.Type, envelope.Source, envelope.OccurredAt, envelope.Subject, envelope.SchemaVersion), (parsed.Id, parsed.Type, parsed.Source, parsed.OccurredAt, parsed.Subject, parsed.SchemaVersion));
        Assert.Equal(new ThingHappened(42, "x"), parsed.DataAs<ThingHappened>());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"id":"00000000-0000-0000-0000-000000000000","type":"T","source":"s","occurredAt":"2026-01-01T00:00:00Z","subject":"1","schemaVersion":1,"data":{}}""")]
    [InlineData("""{"id":"0193a0a0-0000-7000-8000-000000000001","type":"T","source":"s","occurredAt":"2026-01-01T00:00:00Z","subject":"1","schemaVersion":1,"data":[1]}""")]
    public void Parse_Should_ThrowInvalidEvent_When_MessageIsNotAnEnvelope(string value)
    {
        // act
        var exception = Record.Exception(() => EventEnvelope.Parse(Encoding.UTF8.GetBytes(value)));

        // assert
        Assert.IsType<InvalidEventException>(exception);
    }

    [Fact]
    public void DataAs_Should_ThrowInvalidEvent_When_DataDoesNotFitTheConsumersRecord()
    {
        // arrange
        var envelope = EventEnvelope.Parse("""{"id":"0193a0a0-0000-7000-8000-000000000001","type":"ThingHappened","source":"s","occurredAt":"2026-01-01T00:00:00Z","subject":"1","schemaVersion":1,"data":{"thingId":"forty-two"}}"""u8);

        // act
        var exception = Record.Exception(() => envelope.DataAs<ThingHappened>());

        // assert
        Assert.IsType<InvalidEventException>(exception);
    }

    [Fact]
    public void OutboxAdd_Should_StageRowWithTypeVersionKeyAndTrace_When_CalledInsideAnActivity()
    {
        // arrange
        using var db = new ThingsDbContext(new DbContextOptionsBuilder<ThingsDbContext>().UseNpgsql().Options);
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        // act
        var row = Outbox.Add(db, "things.thing.v1", "42", new ThingHappened(42, "x"));

        // assert
        var staged = Assert.Single(db.ChangeTracker.Entries<OutboxMessage>());
        Assert.Same(row, staged.Entity);
        Assert.Equal(EntityState.Added, staged.State);
        Assert.Equal(("things.thing.v1", "42", "42", "ThingHappened", 1), (row.Topic, row.Key, row.Subject, row.Type, row.SchemaVersion));
        Assert.Equal("""{"thingId":42,"label":"x"}""", row.Data);
        Assert.Equal(activity.Id, row.TraceParent);
        Assert.Equal(7, row.EventId.Version);
    }

    [Fact]
    public void Model_Should_HaveOutboxAndInboxTablesWithUnsentIndex_When_ContextCallsAddOutboxAndAddInbox()
    {
        // arrange
        using var db = new ThingsDbContext(new DbContextOptionsBuilder<ThingsDbContext>().UseNpgsql().Options);

        // act
        var outbox = db.Model.FindEntityType(typeof(OutboxMessage))!;
        var inbox = db.Model.FindEntityType(typeof(Federation.Subgraph.Messaging.Inbox.InboxMessage))!;

        // assert
        Assert.Equal(MessagingModelBuilderExtensions.OutboxTable, outbox.GetTableName());
        Assert.Equal(MessagingModelBuilderExtensions.InboxTable, inbox.GetTableName());
        Assert.Equal("event_id", Assert.Single(inbox.FindPrimaryKey()!.Properties).GetColumnName());
        Assert.Contains(outbox.GetIndexes(), index => index.GetFilter() == "sent_at IS NULL");
        Assert.Contains(outbox.GetIndexes(), index => index.IsUnique && index.Properties.Single().Name == nameof(OutboxMessage.EventId));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("127.0.0.1:9092", true)]
    public void AddSubgraphMessaging_Should_StartKafkaClientsOnlyWithBootstrapServers_When_Registered(string? bootstrap, bool expectClients)
    {
        // arrange
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = bootstrap });
        builder.Services.AddPooledDbContextFactory<ThingsDbContext>(db => db.UseNpgsql());

        // act
        builder.AddSubgraphMessaging<ThingsDbContext>("things", messaging => messaging.Consume<ThingHappened, ThingHandler>("things.thing.v1", "ThingHappened"));
        using var host = builder.Build();

        // assert
        var hosted = host.Services.GetServices<IHostedService>().Select(service => service.GetType().Name).ToList();
        Assert.Equal(expectClients, hosted.Any(name => name.StartsWith("OutboxRelay", StringComparison.Ordinal)));
        Assert.Equal(expectClients, hosted.Any(name => name.StartsWith("ConsumerHost", StringComparison.Ordinal)));
        Assert.Equal("things.thing.v1.dlq.things", host.Services.GetRequiredService<MessagingOptions>().DeadLetterTopic("things.thing.v1"));
    }

    [Fact]
    public async Task CommitSignal_Should_WakeTheRelay_When_ContextFromTheFactorySavesOutsideATransaction()
    {
        // arrange
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPooledDbContextFactory<ThingsDbContext>(db => db.UseNpgsql());
        builder.AddSubgraphMessaging<ThingsDbContext>("things");
        using var host = builder.Build();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<ThingsDbContext>>().CreateDbContextAsync();
        var interceptors = db.GetService<IDbContextOptions>()
            .FindExtension<CoreOptionsExtension>()!.Interceptors!;
        var signal = host.Services.GetRequiredService<OutboxSignal>();
        var saveInterceptor = Assert.Single(interceptors.OfType<Microsoft.EntityFrameworkCore.Diagnostics.ISaveChangesInterceptor>());

        // act: what EF calls after a SaveChanges that committed on its own.
        await saveInterceptor.SavedChangesAsync(new Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesCompletedEventData(null!, null!, db, 1), 1);
        var woken = signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

        // assert
        Assert.Same(woken, await Task.WhenAny(woken, Task.Delay(TimeSpan.FromSeconds(2))));
    }

    [Fact]
    public void Status_Should_ReportPercentiles_When_LatenciesRecorded()
    {
        // arrange
        var status = new MessagingStatus();

        // act
        foreach (var ms in Enumerable.Range(1, 100))
            status.RecordLatency(TimeSpan.FromMilliseconds(ms));

        // assert
        Assert.Equal((50.0, 99.0, 0.0), (status.LatencyPercentile(50), status.LatencyPercentile(99), new MessagingStatus().LatencyPercentile(99)));
    }
}

public sealed record ThingHappened(int ThingId, string Label) : IIntegrationEvent
{
    public static string EventType => nameof(ThingHappened);
    public static int SchemaVersion => 1;
}

public sealed class ThingHandler : IIntegrationEventHandler<ThingsDbContext, ThingHappened>
{
    public Task HandleAsync(ThingsDbContext db, ThingHappened data, EventEnvelope envelope, CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class ThingsDbContext(DbContextOptions<ThingsDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutbox().AddInbox();
}
