using System.Text.RegularExpressions;
using Federation.Testing.Security;

namespace Notifications.Tests;

/// <summary>A notification about an order names it in orderId (the web app links it to the order page); the welcome does not.</summary>
[Collection(NotificationsCollection.Name)]
public sealed partial class NotificationOrderTests(NotificationsFixture fixture)
{
    [Fact]
    public async Task OrderId_Should_NameTheOrderOfTheText_When_NotificationIsAboutAnOrder()
    {
        // act
        var data = await fixture.Notifications.DataAsync(TestCaller.Shopper(25), """
            query($r: [_Any!]!) { _entities(representations: $r) { ... on User { notifications(first: 100) { nodes { kind message orderId } } } } }
            """, new { r = new[] { new { __typename = "User", id = "25" } } });

        // assert
        var nodes = data["_entities"]![0]!["notifications"]!["nodes"]!.AsArray();
        Assert.Contains(nodes, n => n!["kind"]!.GetValue<string>() != "WELCOME");
        Assert.All(nodes, n =>
        {
            var orderId = n!["orderId"]?.GetValue<string>();
            if (n["kind"]!.GetValue<string>() == "WELCOME")
                Assert.Null(orderId);
            else
                Assert.Equal(OrderNumber().Match(n["message"]!.GetValue<string>()).Groups[1].Value, orderId);
        });
    }

    [GeneratedRegex(@"#(\d+)")]
    private static partial Regex OrderNumber();
}
