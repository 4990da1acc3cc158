return DiffSim.Cli.Commands.DiffSimCli.Run(args);
