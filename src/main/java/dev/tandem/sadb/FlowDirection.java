package dev.tandem.sadb;

/** Which traffic a flow applies to: leaving through the tunnel, or arriving from it. */
public enum FlowDirection { IN, OUT }
