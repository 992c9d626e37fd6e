using System.Text.Json.Nodes;

namespace Federation.Gateway.Tests.Subscriptions;

/// <summary><c>alertRaised</c> (schema/events/events.graphql) fed by the alerting subgraph's outbox, for admins only.</summary>
public sealed partial class EventDrivenSubscriptionTests
{
    private const string AlertRaised = """
        subscription { alertRaised { id ruleId subject severity status summary value threshold } }
        """;

    [Fact]
    public async Task AlertRaised_Should_DeliverThePaymentFailureAlert_When_AnAdminSubscribesAndPaymentsAreDeclined()
    {
        // arrange: the default rule raises above 30% declined of at least 5 payments in 5 minutes; the other tests of this
        // class decline one order and confirm several, so five declines more pass it whatever ran before.
        await using var admin = await fixture.ConnectAsync(fixture.Tokens.Token(subject: "2", scope: "shopper admin"));
        await admin.SubscribeAsync("1", AlertRaised);
        var shopper = fixture.Tokens.Token(subject: "5");

        // act
        for (var i = 0; i < 5; i++)
            await PlaceOrderAsync(shopper, await LinesAsync(6, 100, above: 5_000m));
        var alert = await NextAlertAsync(admin, "payment-failure-rate");

        // assert
        Assert.Equal(("payments", "CRITICAL", "OPEN", 0.3), (alert["subject"]!.GetValue<string>(), alert["severity"]!.GetValue<string>(), alert["status"]!.GetValue<string>(), alert["threshold"]!.GetValue<double>()));
        Assert.True(alert["value"]!.GetValue<double>() > 0.3, alert.ToJsonString());
        Assert.StartsWith("Payment failure rate ", alert["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("subscription { alertRaised { id } }")]
    [InlineData("subscription { alertUpdated { id status } }")]
    public async Task AlertSubscription_Should_BeRefused_When_TheCallerIsNotAnAdmin(string subscription)
    {
        // arrange
        await using var client = await fixture.ConnectAsync(fixture.Tokens.Token(subject: "5"));

        // act
        await client.SubscribeAsync("1", subscription);
        var answer = await client.ReceiveAsync();

        // assert
        Assert.Equal("error", answer["type"]?.GetValue<string>());
        Assert.Equal("UNAUTHORIZED_FIELD_OR_TYPE", answer["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    /// <summary>
    /// The next raised alert of <paramref name="ruleId"/>. Others are skipped: the seeded stock raises a low-stock alert per
    /// product that runs low (about 70), and the gateway reads a topic created after it started from its beginning.
    /// </summary>
    private static async Task<JsonNode> NextAlertAsync(Fixtures.Subscriptions.GraphQLWsClient client, string ruleId)
    {
        for (var seen = 0; seen < 1_000; seen++)
        {
            var message = await client.ReceiveAsync();
            Assert.Equal("next", message["type"]?.GetValue<string>());
            var alert = message["payload"]?["data"]?["alertRaised"] ?? throw new InvalidOperationException($"No alert in {message.ToJsonString()}");
            if (alert["ruleId"]!.GetValue<string>() == ruleId)
                return alert;
        }

        throw new InvalidOperationException($"No {ruleId} alert among the first 1,000 raised.");
    }
}
