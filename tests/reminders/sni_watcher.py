"""A minimal StatusNotifierWatcher (the D-Bus tray host API) so Qt finds a system tray.

Desktops such as KDE, and GNOME with its AppIndicator extension, run one; tests start this
instead, on their private session bus, and record which tray items register.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

from jeepney import (  # type: ignore[import-untyped]
    HeaderFields,
    MessageType,
    message_bus,
    new_error,
    new_method_return,
)
from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]

SERVICE = "org.kde.StatusNotifierWatcher"
PATH = "/StatusNotifierWatcher"
INTROSPECTION = """<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="org.kde.StatusNotifierWatcher">
    <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
  </interface>
  <interface name="org.freedesktop.DBus.Properties">
    <method name="Get">
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="v" direction="out"/>
    </method>
    <method name="GetAll">
      <arg type="s" direction="in"/><arg type="a{sv}" direction="out"/>
    </method>
  </interface>
</node>
"""


class Watcher:
    """Owns org.kde.StatusNotifierWatcher on `address` until stopped."""

    def __init__(self, address: str) -> None:
        self.items: list[tuple[str, str]] = []  # (sender, service or path)
        self.registered = threading.Event()
        self._conn = open_dbus_connection(bus=address)
        reply = self._conn.send_and_get_reply(message_bus.RequestName(SERVICE), timeout=5)
        assert reply.body[0] == 1, "could not own the watcher name"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _props(self) -> dict[str, tuple[str, Any]]:
        return {
            "RegisteredStatusNotifierItems": ("as", [s for _, s in self.items]),
            "IsStatusNotifierHostRegistered": ("b", True),
            "ProtocolVersion": ("i", 0),
        }

    def _serve(self) -> None:
        while True:
            try:
                msg = self._conn.receive()
            except (OSError, EOFError, ValueError):
                return
            if msg.header.message_type is not MessageType.method_call:
                continue
            member = msg.header.fields.get(HeaderFields.member)
            if member == "Introspect":
                out = new_method_return(msg, "s", (INTROSPECTION,))
            elif member == "Get":
                props = self._props()
                name = msg.body[1]
                out = (
                    new_method_return(msg, "v", (props[name],))
                    if name in props
                    else new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty")
                )
            elif member == "GetAll":
                out = new_method_return(msg, "a{sv}", (self._props(),))
            elif member == "RegisterStatusNotifierItem":
                sender = msg.header.fields.get(HeaderFields.sender, "")
                self.items.append((sender, msg.body[0]))
                self.registered.set()
                out = new_method_return(msg)
            elif member == "RegisterStatusNotifierHost":
                out = new_method_return(msg)
            else:
                out = new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod")
            try:
                self._conn.send(out)
            except OSError:
                return

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)
        self._conn.close()
