using System.Text.Json;
using Federation.Testing.Security;
using Npgsql;

namespace Alerting.Tests;

/// <summary>Each test acknowledges an alert it inserted itself, under a rule id no rule row has, so no evaluation touches it.</summary>
[Collection(AlertingCollection.Name)]
public sealed class AcknowledgeAlertTests(AlertingFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string Acknowledge = """
        mutation Acknowledge($id: ID!) {
          acknowledgeAlert(id: $id) { alert { id status acknowledgedAt acknowledgedBy resolvedAt } errors { code message field } }
        }
        """;

    [Fact]
    public async Task AcknowledgeAlert_Should_AcknowledgeOnceAndPublishOneEvent_When_AnAdminAcknowledgesTwice()
    {
        // arrange
        var id = await InsertAlertAsync("Open");

        // act
        var first = await fixture.Alerting.DataAsync(TestCaller.Admin, Acknowledge, new { id });
        var second = await fixture.Alerting.DataAsync(TestCaller.Admin, Acknowledge, new { id });

        // assert
        var acknowledged = first["acknowledgeAlert"]!;
        Assert.Empty(acknowledged["errors"]!.AsArray());
        Assert.Equal(("ACKNOWLEDGED", TestCaller.Admin.UserId), (acknowledged["alert"]!["status"]!.GetValue<string>(), acknowledged["alert"]!["acknowledgedBy"]!.GetValue<string>()));
        Assert.Empty(second["acknowledgeAlert"]!["errors"]!.AsArray());
        Assert.Equal(acknowledged["alert"]!["acknowledgedAt"]!.GetValue<DateTime>(), second["acknowledgeAlert"]!["alert"]!["acknowledgedAt"]!.GetValue<DateTime>());
        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE type = 'AlertAcknowledged' AND key = $1", id));
        var published = await Events.PublishedAlerts.ReadAsync(fixture.BootstrapServers, id, "AlertAcknowledged");
        Assert.All(published, Events.PublishedAlerts.AssertMatchesContract);
    }

    [Fact]
    public async Task AcknowledgeAlert_Should_LeaveItResolvedWithoutError_When_TheAlertIsResolved()
    {
        // arrange
        var id = await InsertAlertAsync("Resolved");

        // act
        var data = await fixture.Alerting.DataAsync(TestCaller.Admin, Acknowledge, new { id });

        // assert
        Assert.Empty(data["acknowledgeAlert"]!["errors"]!.AsArray());
        Assert.Equal("RESOLVED", data["acknowledgeAlert"]!["alert"]!["status"]!.GetValue<string>());
        Assert.Null(data["acknowledgeAlert"]!["alert"]!["acknowledgedBy"]);
    }

    [Fact]
    public async Task AcknowledgeAlert_Should_ReturnNotFound_When_TheAlertIsUnknown()
    {
        // act
        var data = await fixture.Alerting.DataAsync(TestCaller.Admin, Acknowledge, new { id = "999999" });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task AcknowledgeAlert_Should_ReturnValidationError_When_TheIdIsMalformed()
    {
        // act
        var data = await fixture.Alerting.DataAsync(TestCaller.Admin, Acknowledge, new { id = "abc" });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    [Fact]
    public async Task AcknowledgeAlert_Should_BeForbiddenAndChangeNothing_When_TheCallerIsNotAnAdmin()
    {
        // arrange
        var id = await InsertAlertAsync("Open");

        // act
        var shopper = await fixture.Alerting.QueryAsync(TestCaller.Shopper(5), Acknowledge, new { id });
        var anonymous = await fixture.Alerting.QueryAsync(TestCaller.Anonymous, Acknowledge, new { id });

        // assert
        Assert.Equal(["FORBIDDEN"], shopper.ErrorCodes());
        Assert.Equal(["UNAUTHENTICATED"], anonymous.ErrorCodes());
        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM alerts WHERE id = $1::int AND status = 'Open'", id));
    }

    [Fact]
    public async Task Alerts_Should_BeForbidden_When_TheCallerIsNotAnAdmin()
    {
        // arrange
        var id = await InsertAlertAsync("Open");

        // act
        var list = await fixture.Alerting.QueryAsync(TestCaller.Shopper(5), "{ alerts { id } alertRules { id } }");
        var entity = await fixture.Alerting.QueryAsync(TestCaller.Shopper(5), """
            query($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { id summary } } }
            """, new { r = new[] { new { __typename = "Alert", id } } });

        // assert
        Assert.Equal(["FORBIDDEN", "FORBIDDEN"], list.ErrorCodes());
        Assert.Equal(["FORBIDDEN"], entity.ErrorCodes());
        Assert.Null(entity["data"]?["_entities"]?[0]);
    }

    [Fact]
    public async Task Alerts_Should_FilterByStatusNewestFirst_When_AnAdminAsks()
    {
        // arrange
        var older = await InsertAlertAsync("Acknowledged");
        var newer = await InsertAlertAsync("Acknowledged");

        // act
        var data = await fixture.Alerting.DataAsync(TestCaller.Admin, "{ alerts(status: [ACKNOWLEDGED], first: 100) { id status } }");

        // assert
        var alerts = data["alerts"]!.AsArray();
        Assert.All(alerts, a => Assert.Equal("ACKNOWLEDGED", a!["status"]!.GetValue<string>()));
        var ids = alerts.Select(a => a!["id"]!.GetValue<string>()).ToList();
        Assert.True(ids.IndexOf(newer) < ids.IndexOf(older) && ids.IndexOf(older) >= 0, string.Join(",", ids));
    }

    /// <summary>An alert of a rule no row defines (so no evaluation resolves it), raised now; returns its id.</summary>
    private async Task<string> InsertAlertAsync(string status)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO alerts (rule_id, subject, severity, status, summary, value, threshold, raised_at, resolved_at)
            VALUES ('manual-test', gen_random_uuid()::text, 'Warning', $1, 'Inserted by a test', 1, 0, now(), CASE WHEN $1 = 'Resolved' THEN now() END)
            RETURNING id
            """, connection);
        insert.Parameters.AddWithValue(status);
        return ((int)(await insert.ExecuteScalarAsync())!).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
