namespace Federation.Gateway.Subscriptions;

public sealed class SubscriptionOptions
{
    /// <summary>
    /// Events resolved for one subscriber and not yet taken by its transport (config <c>Subscriptions:BufferSize</c>).
    /// A subscriber that falls this far behind is ended with a <c>SUBSCRIPTION_BUFFER_OVERFLOW</c> error instead of
    /// letting the gateway's memory grow; Apollo Router's queue capacity is 128 as well.
    /// </summary>
    public int BufferSize { get; set; } = 128;
}
