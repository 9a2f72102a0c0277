package dev.chime.server.config;

import dev.chime.ChimeException;

/** A setting is wrong; the message names it, its source and what is allowed. */
public class ConfigException extends ChimeException {
  public ConfigException(String message) {
    super(message);
  }
}
