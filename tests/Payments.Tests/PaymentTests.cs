using System.Globalization;
using System.Text.Json;
using Federation.Subgraph.Seeding;
using Federation.Testing.Security;

namespace Payments.Tests;

[Collection(PaymentsCollection.Name)]
public sealed class PaymentTests(PaymentsFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string EntitiesQuery = """
        query Entities($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename
            ... on Order { id payment { id amount status method createdAt order { id } } }
            ... on Payment { id amount status order { id } }
          }
        }
        """;

    [Fact]
    public async Task Service_Should_AnswerSdlWithKeys_When_Queried()
    {
        // act
        var data = await fixture.Payments.DataAsync(TestCaller.Admin, "{ _service { sdl } }");

        // assert
        var sdl = data["_service"]!["sdl"]!.GetValue<string>();
        Assert.Contains("type Payment @authenticated @key(fields: \"id\")", sdl);
        Assert.Contains("type Order @key(fields: \"id\")", sdl);
    }

    [Fact]
    public async Task Entities_Should_ResolveOrdersAndPayments_When_RepresentationsMixTypes()
    {
        // arrange
        object[] representations =
        [
            new { __typename = "Order", id = "5" },
            new { __typename = "Payment", id = "9" },
            new { __typename = "Order", id = "999999" },
            new { __typename = "Payment", id = "999999" },
        ];

        // act
        var data = await fixture.Payments.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task Entities_Should_ReadPaymentsInOneStatementPerType_When_FiftyOfEach()
    {
        // arrange
        var representations = Enumerable.Range(200, 50).Select(id => new { __typename = "Order", id = id.ToString(CultureInfo.InvariantCulture) })
            .Concat(Enumerable.Range(600, 50).Select(id => new { __typename = "Payment", id = id.ToString(CultureInfo.InvariantCulture) }))
            .ToArray();
        var capture = await fixture.Payments.CaptureSqlAsync();

        // act
        var data = await fixture.Payments.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations });

        // assert
        var statements = await capture.StatementsAsync();
        var entities = data["_entities"]!.AsArray();
        Assert.Equal(100, entities.Count);
        Assert.All(entities.Take(50), e => Assert.Equal(e!["id"]!.GetValue<string>(), e["payment"]!["order"]!["id"]!.GetValue<string>()));
        Assert.Equal(2, statements.Count(sql => sql.Contains("FROM payments", StringComparison.Ordinal)));
        Assert.Single(statements, sql => sql.Contains("WHERE p.order_id", StringComparison.Ordinal));
        Assert.Single(statements, sql => sql.Contains("WHERE p.id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Payments_Should_MatchSeedPlanOrders_When_ReadByOrder()
    {
        // arrange
        var sample = SeedPlan.Orders.Where(o => o.Id % 97 == 0 || o.Status == SeedOrderStatus.Rejected).Take(40).ToList();

        // act
        var data = await fixture.Payments.DataAsync(TestCaller.Admin, EntitiesQuery, new { representations = sample.Select(o => new { __typename = "Order", id = o.Id.ToString(CultureInfo.InvariantCulture) }) });

        // assert
        Assert.Contains(sample, o => o.Status == SeedOrderStatus.Rejected);
        foreach (var (entity, order) in data["_entities"]!.AsArray().Zip(sample))
        {
            var payment = entity!["payment"]!;
            Assert.Equal((double)order.Total, payment["amount"]!.GetValue<double>(), 2);
            Assert.Equal(order.Status == SeedOrderStatus.Confirmed ? "SUCCEEDED" : "FAILED", payment["status"]!.GetValue<string>());
            Assert.Equal(order.PaymentMethod, payment["method"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("""{ payment(id: "abc") { id } }""")]
    [InlineData("""{ payment(id: "0") { id } }""")]
    public async Task Payment_Should_ReturnBadUserInput_When_IdInvalid(string query)
    {
        // act
        var response = await fixture.Payments.QueryAsync(TestCaller.Admin, query);

        // assert
        var error = Assert.Single(response["errors"]!.AsArray());
        Assert.Equal("BAD_USER_INPUT", error!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Payment_Should_ReturnSeededPayment_When_IdKnown()
    {
        // act
        var data = await fixture.Payments.DataAsync(TestCaller.Admin, """{ payment(id: "42") { id amount order { id } } }""");

        // assert
        Assert.Equal("42", data["payment"]!["order"]!["id"]!.GetValue<string>());
        Assert.Equal((double)SeedPlan.Orders[41].Total, data["payment"]!["amount"]!.GetValue<double>(), 2);
    }
}
