using System.Globalization;
using Alerting.Data;
using Alerting.Rules;
using Federation.Subgraph.Messaging.Consuming;
using Federation.Subgraph.Messaging.Events;
using Microsoft.EntityFrameworkCore;

namespace Alerting.Events;

/// <summary>Topics alerting reads; the publishers' contracts are under schema/events/&lt;topic&gt;.</summary>
public static class ConsumedTopics
{
    public const string PaymentsPayment = "payments.payment.v1";
    public const string OrdersOrder = "orders.order.v1";
    public const string InventoryStock = "inventory.stock.v1";
}

// Alerting's own minimal views of the events its signals come from.
public sealed record PaymentSucceeded(int OrderId);

public sealed record PaymentFailed(int OrderId, string Reason);

public sealed record OrderRejected(int OrderId, string Reason);

public sealed record StockChanged(int ProductId, int Available);

/// <summary>
/// Turns domain events into samples and gauges (at the event's time), in the consumer's transaction with the inbox row so
/// a redelivery changes nothing, and asks for the evaluation of that signal's rules (<see cref="EvaluationRequests"/>).
/// </summary>
public sealed class SignalHandler(EvaluationRequests evaluations) :
    IIntegrationEventHandler<AlertingDbContext, PaymentSucceeded>,
    IIntegrationEventHandler<AlertingDbContext, PaymentFailed>,
    IIntegrationEventHandler<AlertingDbContext, OrderRejected>,
    IIntegrationEventHandler<AlertingDbContext, StockChanged>,
    IKafkaMessageHandler<AlertingDbContext>
{
    public Task HandleAsync(AlertingDbContext db, PaymentSucceeded data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        SampleAsync(db, Signals.PaymentDeclined, "payments", 0, envelope.OccurredAt);

    public Task HandleAsync(AlertingDbContext db, PaymentFailed data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        SampleAsync(db, Signals.PaymentDeclined, "payments", 1, envelope.OccurredAt);

    public Task HandleAsync(AlertingDbContext db, OrderRejected data, EventEnvelope envelope, CancellationToken cancellationToken) =>
        SampleAsync(db, Signals.OrderRejected, "orders", 1, envelope.OccurredAt);

    public async Task HandleAsync(AlertingDbContext db, StockChanged data, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        await GaugeAsync(db, Signals.StockAvailable, data.ProductId.ToString(CultureInfo.InvariantCulture), data.Available, envelope.OccurredAt, cancellationToken);
        evaluations.Request(Signals.StockAvailable);
    }

    /// <summary>Any message on a dead-letter topic, envelope or not, at the time the consumer wrote it there.</summary>
    public Task HandleAsync(AlertingDbContext db, KafkaMessage message, CancellationToken cancellationToken) =>
        SampleAsync(db, Signals.DeadLetter, message.Topic, 1, message.Timestamp);

    /// <summary>The consumer saves the sample with its inbox row.</summary>
    private Task SampleAsync(AlertingDbContext db, string signal, string subject, double value, DateTimeOffset at)
    {
        db.Samples.Add(new Sample { Signal = signal, Subject = subject, Value = value, ObservedAt = at.ToUniversalTime() });
        evaluations.Request(signal);
        return Task.CompletedTask;
    }

    /// <summary>Keeps the newest value per subject; an older reading arriving late does not overwrite it.</summary>
    public static Task GaugeAsync(AlertingDbContext db, string signal, string subject, double value, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO gauges (signal, subject, value, observed_at) VALUES ({signal}, {subject}, {value}, {at.ToUniversalTime()})
             ON CONFLICT (signal, subject) DO UPDATE SET value = excluded.value, observed_at = excluded.observed_at
             WHERE gauges.observed_at <= excluded.observed_at
             """,
            cancellationToken);
}
