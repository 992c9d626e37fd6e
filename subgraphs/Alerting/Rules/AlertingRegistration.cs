using Alerting.Data;
using Federation.Subgraph.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alerting.Rules;

public static class AlertingRegistration
{
    /// <summary>The evaluator, the timer that slides the windows and, with a broker, the consumer lag monitor.</summary>
    public static WebApplicationBuilder AddAlertingRules(this WebApplicationBuilder builder, AlertingOptions options)
    {
        if (options.EvaluationInterval <= TimeSpan.Zero || options.ConsumerLag.PollInterval <= TimeSpan.Zero)
            throw new InvalidOperationException($"{AlertingOptions.Section}:EvaluationInterval and {AlertingOptions.Section}:ConsumerLag:PollInterval must be positive.");
        if (options.EventEvaluationDelay < TimeSpan.Zero || options.EventEvaluationDelay > options.EvaluationInterval)
            throw new InvalidOperationException($"{AlertingOptions.Section}:EventEvaluationDelay must be between zero and {AlertingOptions.Section}:EvaluationInterval.");
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<RuleEvaluator>();
        builder.Services.AddSingleton<EvaluationRequests>();

        builder.Services.AddHostedService<RuleSweeper>();
        var bootstrapServers = builder.Configuration[$"{KafkaOptions.Section}:{nameof(KafkaOptions.BootstrapServers)}"];
        if (options.ConsumerLag.Enabled && options.ConsumerLag.Groups.Count > 0 && !string.IsNullOrWhiteSpace(bootstrapServers))
        {
            builder.Services.AddHostedService(services => new ConsumerLagMonitor(
                options,
                bootstrapServers,
                services.GetRequiredService<IDbContextFactory<AlertingDbContext>>(),
                services.GetRequiredService<RuleEvaluator>(),
                services.GetRequiredService<ILogger<ConsumerLagMonitor>>()));
        }

        return builder;
    }
}
