namespace Alerting.Data;

/// <summary>One observation of a signal, from an event's time, counted by the rules whose window still holds it.</summary>
public sealed class Sample
{
    public long Id { get; set; }
    public string Signal { get; set; } = "";
    public string Subject { get; set; } = "";
    public double Value { get; set; }
    public DateTimeOffset ObservedAt { get; set; }
}

/// <summary>A signal's last value per subject (stock on hand, consumer lag): what a <see cref="RuleAggregate.Latest"/> rule reads.</summary>
public sealed class Gauge
{
    public string Signal { get; set; } = "";
    public string Subject { get; set; } = "";
    public double Value { get; set; }
    public DateTimeOffset ObservedAt { get; set; }
}

/// <summary>The signals events feed; a rule names one of these.</summary>
public static class Signals
{
    /// <summary>Per payment outcome: 1 declined, 0 succeeded; subject <c>payments</c>.</summary>
    public const string PaymentDeclined = "payment.declined";

    /// <summary>Per rejected order: 1; subject <c>orders</c>.</summary>
    public const string OrderRejected = "order.rejected";

    /// <summary>Gauge of a product's available stock; subject <c>product:&lt;id&gt;</c>.</summary>
    public const string StockAvailable = "stock.available";

    /// <summary>Per message arriving on a dead-letter topic: 1; subject the dead-letter topic.</summary>
    public const string DeadLetter = "dead-letter";

    /// <summary>Gauge of a consumer group's total lag over its committed partitions; subject the group.</summary>
    public const string ConsumerLag = "consumer.lag";
}
