using Federation.Gateway.Host;

if (KeyCommands.TryRun(args) is { } exitCode)
{
    return exitCode;
}

GatewayHost.Create(args).Run();
return 0;
