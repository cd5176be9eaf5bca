using Tether.Cli;

return await AgentCommandLine.InvokeAsync(args);
