global using Orleans.Segments.Server.Application;
