/* adapter_local: in progress */
