namespace Orleans.Segments.Domain.Campaigns;

/// <summary>A template could not be rendered for one user: it passed a limit, or Fluid refused it.</summary>
public sealed class TemplateRenderException(string reason, Exception? inner = null) : Exception(reason, inner);
