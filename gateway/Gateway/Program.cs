using Federation.Gateway.Host;

GatewayHost.Create(args).Run();
