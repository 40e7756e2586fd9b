/* adapter_scorm12: in progress */
